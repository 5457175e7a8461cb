import { setTimeout as delay } from 'node:timers/promises';
import type { WebhookConfig } from '../config';
import { BoundedQueue } from './bounded-queue';
import { postWebhook, retryDelayMs } from './webhook-sender';
import type { WebhookEvent } from './webhook-event';
import type { FailedPage, FailedWebhook, WebhookQueue } from './webhook-queue';
import type { WebhookMetrics } from './webhook.metrics';

export type WebhookWarn = (fields: Record<string, unknown>, message: string) => void;

/**
 * The single node's queue (no Redis): a bounded FIFO in this process, delivered one event at a
 * time and in order, each retried with exponential backoff until the receiver answers 2xx, refuses
 * it (4xx), or WEBHOOK_MAX_ATTEMPTS are spent; then it joins the dead-letter list (the newest
 * WEBHOOK_FAILED_MAX). Everything here is lost with the process.
 */
export class MemoryWebhookQueue implements WebhookQueue {
  private readonly queue: BoundedQueue<WebhookEvent>;
  private readonly dead: FailedWebhook[] = [];
  private readonly stop = new AbortController();
  private pump?: Promise<void>;

  constructor(
    private readonly webhook: WebhookConfig,
    private readonly metrics: WebhookMetrics,
    private readonly warn: WebhookWarn,
  ) {
    this.queue = new BoundedQueue(webhook.queueMaxEvents);
  }

  get backlog(): number {
    return this.queue.size;
  }

  enqueue(event: WebhookEvent): void {
    if (!this.queue.push(event)) {
      this.metrics.overflow.value++;
      this.warn({ queued: this.queue.size }, 'webhook queue full: event dropped');
      return;
    }
    this.pump ??= this.deliverQueued();
  }

  async failed(offset: number, limit: number): Promise<FailedPage> {
    return { items: this.dead.slice().reverse().slice(offset, offset + limit), total: this.dead.length };
  }

  async retry(eventId: string): Promise<boolean> {
    const index = this.dead.findIndex((f) => f.event.id === eventId);
    if (index < 0) return false;
    const [failed] = this.dead.splice(index, 1);
    this.enqueue(failed.event);
    return true;
  }

  async retryAll(): Promise<number> {
    const all = this.dead.splice(0);
    for (const failed of all) this.enqueue(failed.event);
    return all.length;
  }

  /** The budget's timer holds the process open (retry timers do not), and is cleared once the queue is. */
  async close(budgetMs: number): Promise<void> {
    if (this.pump) {
      const budget = new AbortController();
      await Promise.race([this.pump, delay(budgetMs, undefined, { signal: budget.signal }).catch(() => undefined)]);
      budget.abort();
    }
    this.stop.abort();
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
      if (outcome.result === 'delivered') {
        this.metrics.delivered.value++;
        return;
      }
      if (outcome.result === 'rejected' || attempt >= this.webhook.maxAttempts || this.stop.signal.aborted) {
        this.metrics.failed.value++;
        this.warn({ eventId: event.id, type: event.type, attempts: attempt, outcome: outcome.detail }, 'webhook event given up');
        if (!this.stop.signal.aborted) {
          this.dead.push({ event, attempts: attempt, reason: outcome.detail, failedAt: Date.now() });
          if (this.dead.length > this.webhook.failedMax) this.dead.shift();
        }
        return;
      }
      this.metrics.retries.value++;
      const wait = retryDelayMs(attempt, this.webhook.retryBaseMs, this.webhook.retryMaxMs);
      await delay(wait, undefined, { signal: this.stop.signal, ref: false }).catch(() => undefined);
    }
  }
}
