import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { BUS, Bus } from '../bus/bus';
import { APP_CONFIG, AppConfig } from '../config';
import { BusDelivery } from '../delivery/bus-delivery.service';
import { encodeFrame, PresenceEventData, ServerMessageType } from '../protocol';
import { PRESENCE_STORE, PresenceStore } from './presence-store';
import { RedisPresenceStore } from './redis-presence.store';

/**
 * Cluster mode: refreshes this node's liveness every NODE_TTL_MS / 3 and reaps dead nodes,
 * announcing presence.leave for each room their sessions were in. So a node killed with -9 has its
 * sessions leave presence within NODE_TTL_MS plus one refresh period. The same tick reconciles
 * this node's rooms with their streams (BusDelivery.reconcile).
 */
@Injectable()
export class NodeLiveness implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    @Inject(BUS) private readonly bus: Bus,
    private readonly busDelivery: BusDelivery,
    @InjectPinoLogger(NodeLiveness.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (!(this.store instanceof RedisPresenceStore)) return;
    const store = this.store;
    const tick = () => this.tick(store).catch((err: unknown) => this.logger.warn({ err }, 'cluster liveness tick failed'));
    void tick();
    this.timer = setInterval(tick, Math.max(100, Math.floor(this.config.nodeTtlMs / 3)));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(store: RedisPresenceStore): Promise<void> {
    await store.heartbeat(this.config.nodeTtlMs);
    await this.busDelivery.reconcile();
    for (const { room, sessionId, userId } of await store.reapDeadNodes()) {
      const data: PresenceEventData = { room, userId, sessionId };
      await this.bus.roomEvent(room, encodeFrame({ type: ServerMessageType.PresenceLeave, data }));
    }
  }
}
