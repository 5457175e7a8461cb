import { ApiProperty } from '@nestjs/swagger';

export class StatsCounts {
  @ApiProperty({ description: 'Sessions (total: on every node)' }) connections!: number;
  @ApiProperty({ description: 'Distinct users with a session (total: distinct across nodes, not a sum)' }) users!: number;
  @ApiProperty({ description: 'Rooms with members (total: distinct across nodes, not a sum)' }) rooms!: number;
  @ApiProperty({ description: 'Client messages received (valid envelopes)' }) messagesIn!: number;
  @ApiProperty({ description: 'Frames handed to sockets (one per recipient)' }) messagesOut!: number;
  @ApiProperty() bytesIn!: number;
  @ApiProperty() bytesOut!: number;
}

export class NodeStatsView extends StatsCounts {
  @ApiProperty({ description: 'NODE_ID' }) node!: string;
  @ApiProperty({ description: 'Sessions terminated for missing heartbeats since start' }) heartbeatTerminations!: number;
  @ApiProperty({ description: 'Sessions closed as slow consumers (4008) since start' }) slowConsumerCloses!: number;
  @ApiProperty() uptimeSeconds!: number;
  @ApiProperty({ description: 'ISO 8601: when the node reported these (the node answering: now; others: every NODE_TTL_MS / 3)' }) reportedAt!: string;
}

export class StatsView {
  @ApiProperty({ type: StatsCounts, description: 'The whole service: distinct connections, users and rooms from the session directory; traffic summed over the nodes' })
  total!: StatsCounts;
  @ApiProperty({ type: [NodeStatsView], description: 'Each live node (one that refreshed its liveness within NODE_TTL_MS), by NODE_ID' })
  nodes!: NodeStatsView[];
}
