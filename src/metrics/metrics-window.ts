import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { MetricValueWithName } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config';
import { Bucket, histogramQuantile } from './histogram-quantile';
import { MetricsRegistry } from './metrics-registry';
import { SeriesRing } from './series-ring';

export interface MetricsWindowOptions {
  /** Milliseconds between samples, on the wall clock's grid (every node samples at the same instants). @default 5000 */
  sampleMs: number;
  /** Samples kept. @default 180 (15 minutes) */
  samples: number;
}

/** Optional provider of MetricsWindowOptions (the tests sample faster). */
export const METRICS_WINDOW_OPTIONS = Symbol('METRICS_WINDOW_OPTIONS');
const DEFAULTS: MetricsWindowOptions = { sampleMs: 5000, samples: 180 };
/** 8 fixed series + 8 error codes + 16 close slots today; room to spare, never more. */
export const WINDOW_MAX_SERIES = 48;

type Labels = Partial<Record<string, string | number>>;

/** Frames that carry a message to a recipient: what "delivered" counts. */
const DELIVERED = new Set(['message', 'direct', 'broadcast']);
const GAUGES: Record<string, string> = { realtime_connections: 'connections', realtime_users: 'users' };
/** Counters shown as per-second rates, and the series each labelled value adds to. */
const RATES: Record<string, (labels: Labels) => string | undefined> = {
  realtime_messages_out_total: (l) => (DELIVERED.has(String(l.type)) ? 'delivered' : undefined),
  realtime_messages_in_total: (l) => (l.type === 'room.publish' ? 'publishes' : undefined),
  realtime_errors_total: (l) => `errors:${l.code}`,
  realtime_closes_total: (l) => `closes:${l.code}`,
  realtime_terminations_total: (l) => `terminations:${l.reason}`,
};
const LATENCY = 'realtime_publish_delivery_seconds';
/** Always listed; the by-code series only when they are non-zero somewhere in the window. */
const BASE_SERIES = ['connections', 'users', 'delivered', 'publishes', 'delivery_p50', 'delivery_p99', 'terminations:heartbeat', 'terminations:slow_consumer'];

interface Reading {
  at: number;
  counters: Map<string, number>;
  buckets: Bucket[];
}

export interface MetricsWindowSnapshot {
  node: string;
  intervalMs: number;
  capacity: number;
  times: number[];
  series: { name: string; values: (number | null)[] }[];
}

/**
 * This node's charts for the admin dashboard: gauges, per-second rates and delivery quantiles of
 * the last `samples` intervals, read from this node's own Prometheus registry (the same series
 * /metrics exposes) into a SeriesRing. Fixed memory: samples x (1 + series) numbers, at most
 * 180 x 49 x 8 bytes (~69 KiB) with the defaults; it survives a page reload because it lives
 * here, not in the page.
 */
@Injectable()
export class MetricsWindow implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly options: MetricsWindowOptions;
  private readonly ring: SeriesRing;
  private last?: Reading;
  private timer?: NodeJS.Timeout;
  /** Samples run one after the other, whoever asks (the timer, a test). */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
    @InjectPinoLogger(MetricsWindow.name) private readonly logger: PinoLogger,
    @Optional() @Inject(METRICS_WINDOW_OPTIONS) options?: Partial<MetricsWindowOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.ring = new SeriesRing(this.options.samples, WINDOW_MAX_SERIES);
  }

  /** The baseline now, then a sample at each multiple of sampleMs since the epoch. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sample();
    const { sampleMs } = this.options;
    const tick = () => void this.sample().catch((err: unknown) => this.logger.warn({ err }, 'metrics window sample failed'));
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, sampleMs).unref();
    }, sampleMs - (Date.now() % sampleMs)).unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
  }

  /** Takes a sample now: rates over the time since the previous one (the first only sets the baseline). */
  sample(): Promise<void> {
    return (this.queue = this.queue.then(() => this.take(Date.now())));
  }

  snapshot(): MetricsWindowSnapshot {
    const { times, series } = this.ring.read();
    const listed = [...series].filter(([name, values]) => BASE_SERIES.includes(name) || values.some((v) => v !== null && v !== 0));
    return { node: this.config.nodeId, intervalMs: this.options.sampleMs, capacity: this.options.samples, times, series: listed.map(([name, values]) => ({ name, values })) };
  }

  private async take(at: number): Promise<void> {
    const reading: Reading = { at, counters: new Map(), buckets: [] };
    for (const [metric, seriesOf] of Object.entries(RATES)) {
      for (const { labels, value } of await this.values(metric)) {
        const name = seriesOf(labels);
        if (name) reading.counters.set(name, (reading.counters.get(name) ?? 0) + value);
      }
    }
    for (const { labels, value, metricName } of await this.values(LATENCY)) {
      if (metricName === `${LATENCY}_bucket`) reading.buckets.push({ le: labels.le === '+Inf' ? Infinity : Number(labels.le), count: value });
    }
    const previous = this.last;
    if (previous && at <= previous.at) return;
    this.last = reading;
    if (previous) this.ring.push(at, await this.rates(previous, reading));
  }

  private async rates(previous: Reading, now: Reading): Promise<Map<string, number>> {
    const seconds = (now.at - previous.at) / 1000;
    const values = new Map<string, number>();
    for (const [metric, name] of Object.entries(GAUGES)) values.set(name, (await this.values(metric))[0]?.value ?? NaN);
    for (const [name, total] of now.counters) values.set(name, Math.max(0, total - (previous.counters.get(name) ?? 0)) / seconds);
    const interval = now.buckets.map(({ le, count }, i) => ({ le, count: count - (previous.buckets[i]?.count ?? 0) }));
    values.set('delivery_p50', histogramQuantile(0.5, interval));
    values.set('delivery_p99', histogramQuantile(0.99, interval));
    return values;
  }

  private async values(metric: string): Promise<MetricValueWithName<string>[]> {
    const found = this.metrics.registry.getSingleMetric(metric);
    return found ? ((await found.get()).values as MetricValueWithName<string>[]) : [];
  }
}
