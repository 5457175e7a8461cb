import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { EventOrigin, LifecycleEventsService, LifecycleListener, LifecycleSession } from '../lifecycle/lifecycle-events.service';
import type { Session } from '../registry/session';
import { webhookEvent, WebhookEventType } from './webhook-event';
import { WEBHOOK_QUEUE, WebhookQueue } from './webhook-queue';

/**
 * Turns lifecycle events into webhook events and hands them to the node's WebhookQueue (memory,
 * or BullMQ on Redis: webhooks.module.ts). Listeners only enqueue, so a slow receiver never
 * delays the delivery of messages.
 */
@Injectable()
export class WebhookDispatcherService implements LifecycleListener, OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lifecycle: LifecycleEventsService,
    @Inject(WEBHOOK_QUEUE) private readonly queue: WebhookQueue,
    @InjectPinoLogger(WebhookDispatcherService.name) private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    this.lifecycle.subscribe(this);
  }

  connectionOpened(session: Session): void {
    this.enqueue('connection.opened', { sessionId: session.id, userId: session.userId, remoteAddress: session.remoteAddress });
  }

  /** With an origin: a survivor reports a session of a dead node (`node` is the dead node, `data.reason` says so). */
  connectionClosed(session: LifecycleSession, code: number, origin?: EventOrigin): void {
    const data = { sessionId: session.id, userId: session.userId, code, durationMs: Date.now() - session.connectedAt };
    this.enqueue('connection.closed', origin ? { ...data, reason: origin.reason } : data, origin?.node);
  }

  roomJoined(session: Session, room: string): void {
    this.enqueue('room.joined', { sessionId: session.id, userId: session.userId, room });
  }

  roomLeft(session: LifecycleSession, room: string, origin?: EventOrigin): void {
    this.enqueue('room.left', { sessionId: session.id, userId: session.userId, room }, origin?.node);
  }

  /** Gives what is queued (the closes of the drain, mostly) a quarter of SHUTDOWN_TIMEOUT_MS. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close(this.config.shutdownTimeoutMs / 4);
    if (this.queue.backlog > 0 && this.config.redis === undefined) this.logger.warn({ events: this.queue.backlog }, 'webhook events not delivered before shutdown');
  }

  private enqueue(type: WebhookEventType, data: Record<string, unknown>, node = this.config.nodeId): void {
    this.queue.enqueue(webhookEvent(type, node, data));
  }
}
