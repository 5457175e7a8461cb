import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { collectedGauge, CounterSlot, SlotCounter } from '../metrics/slot-counter';

/** Webhook delivery: what became of each event, retries, and the queue's length. */
@Injectable()
export class WebhookMetrics {
  readonly delivered: CounterSlot;
  /** Given up: refused by the receiver, or still failing after WEBHOOK_MAX_ATTEMPTS. */
  readonly failed: CounterSlot;
  /** Never queued: WEBHOOK_QUEUE_MAX_EVENTS were already waiting. */
  readonly overflow: CounterSlot;
  readonly retries: CounterSlot;
  private readonly prom: Registry;

  constructor(metrics: MetricsRegistry) {
    this.prom = metrics.registry;
    const events = new SlotCounter(this.prom, 'realtime_webhook_events_total', 'Lifecycle events by outcome: delivered, failed, overflow', 'result');
    this.delivered = events.slot('delivered');
    this.failed = events.slot('failed');
    this.overflow = events.slot('overflow');
    this.retries = new SlotCounter(this.prom, 'realtime_webhook_retries_total', 'Webhook POSTs retried after a failed attempt').slot();
  }

  queueLength(read: () => number): void {
    collectedGauge(this.prom, 'realtime_webhook_queue_events', 'Lifecycle events waiting for delivery', read);
  }
}
