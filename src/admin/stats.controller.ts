import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { NodeStatsService } from '../cluster/node-stats.service';
import { PRESENCE_STORE, PresenceStore } from '../presence/presence-store';
import { AdminApi } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { NodeStatsView, StatsView } from './dto/stats.dto';
import { DIRECTORY_UNAVAILABLE, storeCall } from './store-call';

const SUMMED = ['messagesIn', 'messagesOut', 'bytesIn', 'bytesOut'] as const;

/**
 * The whole service's counts from any node. Connections, users and rooms are distinct counts from
 * the session directory; traffic counters are the sums of what each live node last reported
 * (every NODE_TTL_MS / 3, kept for NODE_TTL_MS), this node's being read now.
 */
@AdminApi('admin: stats')
@Controller('admin/stats')
export class StatsController {
  constructor(
    private readonly node: NodeStatsService,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
    @InjectPinoLogger(StatsController.name) private readonly logger: PinoLogger,
  ) {}

  @Get()
  @ApiOkResponse({ type: StatsView })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'Cluster mode: Redis (the session directory) is unreachable' })
  async stats(): Promise<StatsView> {
    const self = this.node.snapshot();
    const [totals, reported] = await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => Promise.all([this.presence.totals(), this.presence.nodeStats()]));
    const nodes = [self, ...reported.filter((n) => n.node !== self.node)].sort((a, b) => a.node.localeCompare(b.node));
    const total = { ...totals, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
    for (const n of nodes) for (const key of SUMMED) total[key] += n[key];
    return { total, nodes: nodes.map(({ reportedAt, ...n }): NodeStatsView => ({ ...n, reportedAt: new Date(reportedAt).toISOString() })) };
  }
}
