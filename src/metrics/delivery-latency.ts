import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/**
 * Time from a message's `ts` (set when it was published) to its hand-off to this node's members.
 * Measured where live delivery happens, never on recovery replays (their `ts` is old by design).
 */
@Injectable()
export class DeliveryLatency {
  private readonly histogram: Histogram;

  constructor(metrics: MetricsRegistry) {
    this.histogram = new Histogram({
      name: 'realtime_publish_delivery_seconds',
      help: 'Seconds from publish (message ts) to hand-off to the sockets of the room members on this node',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [metrics.registry],
    });
  }

  delivered(publishedAtMs: number): void {
    this.histogram.observe(Math.max(0, Date.now() - publishedAtMs) / 1000);
  }
}
