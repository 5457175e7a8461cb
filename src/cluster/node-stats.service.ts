import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { TrafficMetrics } from '../metrics/traffic.metrics';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import type { NodeStatsSnapshot } from '../presence/presence-store';

/** This node's counts, as GET /admin/stats shows them and as the node reports them to the cluster. */
@Injectable()
export class NodeStatsService {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistryService,
    private readonly traffic: TrafficMetrics,
    private readonly gateway: GatewayMetrics,
  ) {}

  snapshot(): NodeStatsSnapshot {
    const now = Date.now();
    return {
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
      uptimeSeconds: Math.round((now - this.startedAt) / 1000),
      reportedAt: now,
    };
  }
}
