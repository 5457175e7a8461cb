import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsRoomName } from '../../messaging/dto/validators';
import { USER_ID_MAX_LENGTH } from '../../protocol';
import type { DisconnectReceipt } from '../../realtime/realtime.types';
import { PageQueryDto } from './page.dto';

export class ConnectionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only sessions of this user' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  user?: string;

  @ApiPropertyOptional({ description: 'Only sessions in this room' })
  @IsOptional()
  @IsRoomName()
  room?: string;

  @ApiPropertyOptional({ description: 'Only sessions on this node (NODE_ID)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  node?: string;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'cursor must be a nextCursor this API returned' })
  cursor?: string;
}

export class UserParamDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Length(1, USER_ID_MAX_LENGTH)
  userId!: string;
}

export class ConnectionView {
  @ApiProperty() id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ description: 'NODE_ID of the node holding the socket' }) node!: string;
  @ApiProperty({ type: [String] }) rooms!: string[];
  @ApiProperty({ description: 'ISO 8601' }) connectedAt!: string;
  @ApiProperty({ description: 'ISO 8601; last handled message' }) lastActivityAt!: string;
  @ApiProperty() remoteAddress!: string;
}

/** Sessions in connection order; ask again with `cursor=nextCursor` until it is null. */
export class ConnectionPage {
  @ApiProperty({ type: [ConnectionView] }) items!: ConnectionView[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor!: string | null;
}

export class ClosedCount implements DisconnectReceipt {
  @ApiProperty({ description: 'Sessions closed with 4503' }) closed!: number;
}
