import { IsInt, IsString, Length, Min } from 'class-validator';

/** `since` of `room.join` and `user.recover`: a position in a stream. */
export class StreamPositionDto {
  @IsInt()
  @Min(0)
  offset!: number;

  @IsString()
  @Length(1, 64)
  epoch!: string;
}
