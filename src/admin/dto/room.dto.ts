import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsRoomName } from '../../messaging/dto/validators';
import { HISTORY_PAGE_MAX, USER_ID_MAX_LENGTH } from '../../protocol';
import type { RoomMember } from '../../realtime/realtime.types';
import { PageQueryDto } from './page.dto';

export class RoomParamDto {
  @ApiProperty({ example: 'public:lobby' })
  @IsRoomName()
  room!: string;
}

export class RoomQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only rooms whose name starts with this' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9:_.-]{1,128}$/, { message: 'prefix must be 1-128 characters of A-Z a-z 0-9 : _ . -' })
  prefix?: string;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsRoomName({ message: 'cursor must be a nextCursor this API returned' })
  cursor?: string;
}

export class RoomDetailQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: HISTORY_PAGE_MAX, default: 20, description: 'How many of the newest messages to include' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(HISTORY_PAGE_MAX)
  history?: number;
}

export class RoomSummary {
  @ApiProperty() room!: string;
  @ApiProperty({ description: 'Sessions in the room on this node' }) members!: number;
}

/** Rooms with members, by name; ask again with `cursor=nextCursor` until it is null. */
export class RoomPage {
  @ApiProperty({ type: [RoomSummary] }) items!: RoomSummary[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor!: string | null;
}

export class MemberView implements RoomMember {
  @ApiProperty() userId!: string;
  @ApiProperty() sessionId!: string;
}

export class RoomMessageView {
  @ApiProperty() room!: string;
  @ApiProperty() messageId!: string;
  @ApiProperty() from!: string;
  @ApiProperty({ description: 'Any JSON value' }) body!: unknown;
  @ApiProperty({ description: 'Milliseconds since the epoch' }) ts!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() epoch!: string;
}

export class MemberParamDto extends RoomParamDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Length(1, USER_ID_MAX_LENGTH)
  userId!: string;
}

export class RemovedCount {
  @ApiProperty({ description: "The user's sessions taken out of the room" }) removed!: number;
}

export class RoomDetail {
  @ApiProperty() room!: string;
  @ApiProperty({ description: "Offset of the room's last message (0: none yet)" }) offset!: number;
  @ApiProperty({ description: "The stream's epoch" }) epoch!: string;
  @ApiProperty({ type: [MemberView], description: 'Presence, in join order' }) members!: MemberView[];
  @ApiProperty({ type: [RoomMessageView], description: 'The newest stored messages, ascending' }) history!: RoomMessageView[];
}
