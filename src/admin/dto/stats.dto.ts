import { ApiProperty } from '@nestjs/swagger';

export class StatsCounts {
  @ApiProperty() connections!: number;
  @ApiProperty() users!: number;
  @ApiProperty() rooms!: number;
  @ApiProperty({ description: 'Client messages received (valid envelopes)' }) messagesIn!: number;
  @ApiProperty({ description: 'Frames handed to sockets (one per recipient)' }) messagesOut!: number;
  @ApiProperty() bytesIn!: number;
  @ApiProperty() bytesOut!: number;
}

export class NodeStats extends StatsCounts {
  @ApiProperty({ description: 'NODE_ID' }) node!: string;
  @ApiProperty({ description: 'Sessions terminated for missing heartbeats since start' }) heartbeatTerminations!: number;
  @ApiProperty({ description: 'Sessions closed as slow consumers (4008) since start' }) slowConsumerCloses!: number;
  @ApiProperty() uptimeSeconds!: number;
}

export class StatsView {
  @ApiProperty({ type: StatsCounts }) total!: StatsCounts;
  @ApiProperty({ type: [NodeStats] }) nodes!: NodeStats[];
}
