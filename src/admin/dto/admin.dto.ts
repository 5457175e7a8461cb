import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsPresent, IsRoomName } from '../../messaging/dto/validators';

export class ConnectionQueryDto {
  @ApiPropertyOptional({ description: 'Only sessions of this user' })
  @IsOptional()
  @IsString()
  user?: string;

  @ApiPropertyOptional({ description: 'Only sessions in this room' })
  @IsOptional()
  @IsRoomName()
  room?: string;
}

export class RoomParamDto {
  @IsRoomName()
  room!: string;
}

export class PublishBodyDto {
  @ApiProperty({ description: 'Any JSON value, delivered as the message body' })
  @IsPresent()
  body!: unknown;
}
