import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '../config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { TrafficMetrics } from '../metrics/traffic.metrics';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { AdminApi } from './admin-api.decorator';
import { NodeStats, StatsView } from './dto/stats.dto';

@AdminApi('admin: stats')
@Controller('admin/stats')
export class StatsController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly traffic: TrafficMetrics,
    private readonly gateway: GatewayMetrics,
  ) {}

  @Get()
  @ApiOkResponse({ type: StatsView })
  stats(): StatsView {
    const node: NodeStats = {
      node: this.config.nodeId,
      connections: this.registry.size,
      users: this.registry.userCount,
      rooms: this.registry.roomCount,
      messagesIn: this.traffic.messagesInTotal,
      messagesOut: this.traffic.messagesOutTotal,
      bytesIn: this.traffic.bytesIn.value,
      bytesOut: this.traffic.bytesOut.value,
      heartbeatTerminations: this.gateway.heartbeatTerminations.value,
      slowConsumerCloses: this.gateway.slowConsumerCloses.value,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
    const { connections, users, rooms, messagesIn, messagesOut, bytesIn, bytesOut } = node;
    // One node, so the total is its counts. Summing nodes needs their stats over the cluster bus,
    // and users and rooms then need distinct counts, not sums.
    return { total: { connections, users, rooms, messagesIn, messagesOut, bytesIn, bytesOut }, nodes: [node] };
  }
}
