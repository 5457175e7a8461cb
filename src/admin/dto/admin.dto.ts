import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, Matches } from 'class-validator';
import { ROOM_NAME_PATTERN } from '../../protocol';

export class ConnectionQueryDto {
  @ApiPropertyOptional({ description: 'Only sessions of this user' })
  @IsOptional()
  user?: string;

  @ApiPropertyOptional({ description: 'Only sessions in this room' })
  @IsOptional()
  @Matches(ROOM_NAME_PATTERN)
  room?: string;
}

export class RoomParamDto {
  @Matches(ROOM_NAME_PATTERN, { message: 'room must be 1-128 characters of A-Z a-z 0-9 : _ . -' })
  room!: string;
}

export class PublishBodyDto {
  @ApiProperty({ description: 'Any JSON value, delivered as the message body' })
  @IsDefined({ message: 'body is required (any JSON value)' })
  body!: unknown;
}
