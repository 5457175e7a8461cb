import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { RoomDto } from './room.dto';

export class StreamPositionDto {
  @IsInt()
  @Min(0)
  offset!: number;

  @IsString()
  @Length(1, 64)
  epoch!: string;
}

export class RoomJoinDto extends RoomDto {
  /** The last position the client saw: the server replays what came after it, or says it cannot. */
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamPositionDto)
  since?: StreamPositionDto;
}
