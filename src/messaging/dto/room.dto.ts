import { IsDefined, Matches } from 'class-validator';
import { ROOM_NAME_PATTERN } from '../../protocol';

const ROOM_RULE = { message: 'room must be 1-128 characters of A-Z a-z 0-9 : _ . -' };

export class RoomDto {
  @Matches(ROOM_NAME_PATTERN, ROOM_RULE)
  room!: string;
}

export class RoomPublishDto extends RoomDto {
  /** Any JSON value. */
  @IsDefined({ message: 'body is required (any JSON value)' })
  body!: unknown;
}
