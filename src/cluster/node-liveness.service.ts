import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { LifecycleEventsService } from '../lifecycle/lifecycle-events.service';
import { PRESENCE_STORE, PresenceStore, ReapedSession, SharedPresenceStore } from '../presence/presence-store';
import { PresenceService } from '../presence/presence.service';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { NodeStatsService } from './node-stats.service';

/** The close code webhooks report for the sessions of a dead node: no close frame was ever sent. */
export const DEAD_NODE_CLOSE_CODE = 1006;

/**
 * Cluster mode: refreshes this node's liveness (with its stats and its sessions' last activity)
 * every NODE_TTL_MS / 3 and reaps dead nodes. For each session of a dead node, the survivor whose
 * reap removed it (exactly one) announces presence.leave in its rooms and emits room.left and
 * connection.closed through LifecycleEventsService (so webhooks), with the dead node as origin. So a node
 * killed with -9 has its sessions gone within NODE_TTL_MS plus one refresh period. The same tick
 * runs the `onTick` listeners (BusDeliveryService reconciles this node's rooms with their streams).
 */
@Injectable()
export class NodeLivenessService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private activityFlushedAt = 0;
  private listed = false;
  private readonly tickListeners: (() => Promise<void>)[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    private readonly presence: PresenceService,
    private readonly registry: ConnectionRegistryService,
    private readonly lifecycle: LifecycleEventsService,
    private readonly stats: NodeStatsService,
    @InjectPinoLogger(NodeLivenessService.name) private readonly logger: PinoLogger,
  ) {}

  /** Before the node takes connections: report what a previous process with this NODE_ID left behind. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.store.sharedAcrossNodes) return;
    const store = this.store;
    await store.whenReady(5000);
    try {
      this.announce(await store.reapOwnLeftovers());
    } catch (err) {
      this.logger.warn({ err }, 'cluster: could not reap this node id\'s leftovers');
    }
    const tick = () => this.tick(store).catch((err: unknown) => this.logger.warn({ err }, 'cluster liveness tick failed'));
    await tick();
    this.timer = setInterval(tick, Math.max(100, Math.floor(this.config.nodeTtlMs / 3)));
    this.timer.unref();
  }

  /** Runs `listener` on every tick (cluster mode only), after this node's refresh and before the reaping. */
  onTick(listener: () => Promise<void>): void {
    this.tickListeners.push(listener);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(store: SharedPresenceStore): Promise<void> {
    const flushedAt = Date.now();
    const activity: [string, number][] = [];
    for (const s of this.registry.all()) if (s.lastActivityAt > this.activityFlushedAt) activity.push([s.id, s.lastActivityAt]);
    const wasListed = await store.heartbeat(this.config.nodeTtlMs, this.stats.snapshot(), activity);
    this.activityFlushedAt = flushedAt;
    if (this.listed && !wasListed) await this.reregister(store);
    this.listed = true;
    for (const listener of this.tickListeners) await listener();
    this.announce(await store.reapDeadNodes());
  }

  /**
   * This node was listed and is no more: Redis lost its data (restart without persistence), or the
   * others reaped this node after it stalled past NODE_TTL_MS. Its sessions are still open: put
   * them back in the directory and presence.
   */
  private async reregister(store: SharedPresenceStore): Promise<void> {
    const sessions = [...this.registry.all()];
    this.logger.warn({ sessions: sessions.length }, 'cluster: this node was missing from the directory; re-registering its sessions');
    for (const s of sessions) {
      await store.connected(s);
      for (const room of s.rooms) await store.joined(s, room);
    }
  }

  private announce(reaped: ReapedSession[]): void {
    for (const { node, record } of reaped) {
      const origin = { node, reason: `node ${node} stopped refreshing its liveness (killed or cut off); reaped by ${this.config.nodeId}` };
      for (const room of record.rooms) {
        this.lifecycle.roomLeft(record, room, origin);
        // The reap took the session out of the room already, as a leave would have.
        this.presence.announceLeft(record, room);
      }
      this.lifecycle.connectionClosed(record, DEAD_NODE_CLOSE_CODE, origin);
    }
    if (reaped.length > 0) this.logger.warn({ sessions: reaped.length, nodes: [...new Set(reaped.map((r) => r.node))] }, 'cluster: reaped the sessions of dead nodes');
  }
}
