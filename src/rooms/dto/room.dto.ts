import { IsPresent, IsRoomName } from '../../messaging/dto/validators';

export class RoomDto {
  @IsRoomName()
  room!: string;
}

export class RoomPublishDto extends RoomDto {
  /** Any JSON value. */
  @IsPresent()
  body!: unknown;
}
