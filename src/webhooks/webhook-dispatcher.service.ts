import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, WebhookConfig } from '../config';
import { EventOrigin, LifecycleEventsService, LifecycleListener, LifecycleSession } from '../lifecycle/lifecycle-events.service';
import { LogLimiter } from '../logging/log-limiter';
import type { Session } from '../registry/session';
import { BoundedQueue } from './bounded-queue';
import { postWebhook, retryDelayMs } from './webhook-sender';
import { WebhookEvent, webhookEvent, WebhookEventType } from './webhook-event';
import { WebhookMetrics } from './webhook.metrics';

/**
 * POSTs lifecycle events to WEBHOOK_URL, at least once: one at a time and in order, each retried
 * with exponential backoff until the receiver answers 2xx, refuses it (4xx), or
 * WEBHOOK_MAX_ATTEMPTS are spent. Events wait in a bounded queue; when it is full they are
 * counted and dropped, so a slow receiver costs memory up to a cap and never delays delivery
 * of messages (listeners only enqueue).
 */
@Injectable()
export class WebhookDispatcherService implements LifecycleListener, OnModuleInit, OnApplicationShutdown {
  private readonly webhook: WebhookConfig;
  private readonly queue: BoundedQueue<WebhookEvent>;
  private readonly stop = new AbortController();
  private pump?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lifecycle: LifecycleEventsService,
    private readonly metrics: WebhookMetrics,
    private readonly limiter: LogLimiter,
    @InjectPinoLogger(WebhookDispatcherService.name) private readonly logger: PinoLogger,
  ) {
    this.webhook = config.webhook!;
    this.queue = new BoundedQueue(this.webhook.queueMaxEvents);
    metrics.queueLength(() => this.queue.size);
  }

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

  /**
   * Gives what is queued (the closes of the drain, mostly) a quarter of SHUTDOWN_TIMEOUT_MS. The
   * budget's timer holds the process open (retry timers do not), and is cleared once the queue is.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.pump) {
      const budget = new AbortController();
      await Promise.race([this.pump, delay(this.config.shutdownTimeoutMs / 4, undefined, { signal: budget.signal }).catch(() => undefined)]);
      budget.abort();
    }
    this.stop.abort();
    if (this.queue.size > 0) this.logger.warn({ events: this.queue.size }, 'webhook events not delivered before shutdown');
  }

  private enqueue(type: WebhookEventType, data: Record<string, unknown>, node = this.config.nodeId): void {
    if (!this.queue.push(webhookEvent(type, node, data))) {
      this.metrics.overflow.value++;
      this.warn({ queued: this.queue.size }, 'webhook queue full: event dropped');
      return;
    }
    this.pump ??= this.deliverQueued();
  }

  private async deliverQueued(): Promise<void> {
    // Begins a microtask later, so `pump` is set before the loop can end and clear it.
    await Promise.resolve();
    for (let event = this.queue.peek(); event && !this.stop.signal.aborted; event = this.queue.peek()) {
      await this.deliver(event);
      this.queue.shift();
    }
    this.pump = undefined;
  }

  private async deliver(event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    for (let attempt = 1; ; attempt++) {
      const outcome = await postWebhook(this.webhook, body, event.id, attempt, this.stop.signal);
      if (outcome === 'delivered') {
        this.metrics.delivered.value++;
        return;
      }
      if (outcome === 'rejected' || attempt >= this.webhook.maxAttempts || this.stop.signal.aborted) {
        this.metrics.failed.value++;
        this.warn({ eventId: event.id, type: event.type, attempts: attempt, outcome }, 'webhook event given up');
        return;
      }
      this.metrics.retries.value++;
      const wait = retryDelayMs(attempt, this.webhook.retryBaseMs, this.webhook.retryMaxMs);
      await delay(wait, undefined, { signal: this.stop.signal, ref: false }).catch(() => undefined);
    }
  }

  private warn(fields: Record<string, unknown>, message: string): void {
    const suppressed = this.limiter.admit(this);
    if (suppressed !== undefined) this.logger.warn(suppressed ? { ...fields, suppressed } : fields, message);
  }
}
