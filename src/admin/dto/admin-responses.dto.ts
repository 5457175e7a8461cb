import { ApiProperty } from '@nestjs/swagger';

export class ConnectionView {
  @ApiProperty() id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ type: [String] }) rooms!: string[];
  @ApiProperty({ description: 'ISO 8601' }) connectedAt!: string;
  @ApiProperty({ description: 'ISO 8601; last handled message' }) lastActivityAt!: string;
  @ApiProperty() remoteAddress!: string;
}

export class PublishResult {
  @ApiProperty() messageId!: string;
  @ApiProperty({ description: 'Milliseconds since the epoch' }) ts!: number;
  @ApiProperty({ description: "The message's offset in the room's stream" }) offset!: number;
  @ApiProperty({ description: "The stream's epoch" }) epoch!: string;
}

export class StatsView {
  @ApiProperty() connections!: number;
  @ApiProperty() rooms!: number;
  @ApiProperty() users!: number;
  @ApiProperty({ description: 'Sessions terminated for missing heartbeats since start' }) heartbeatTerminations!: number;
  @ApiProperty() uptimeSeconds!: number;
}
