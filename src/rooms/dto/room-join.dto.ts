import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { StreamPositionDto } from '../../messaging/dto/stream-position.dto';
import { RoomDto } from './room.dto';

export { StreamPositionDto };

export class RoomJoinDto extends RoomDto {
  /** The last position the client saw: the server replays what came after it, or says it cannot. */
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamPositionDto)
  since?: StreamPositionDto;
}
