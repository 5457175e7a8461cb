import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { READINESS_INDICATORS, ReadinessIndicator } from './readiness-indicator';

/**
 * `realtime_ready`: what /health/ready answers, as a series (1: 200, 0: 503), run at scrape time,
 * so Prometheus alerts on a node that stays out of its load balancer without probing it.
 */
@Injectable()
export class ReadinessMetrics {
  constructor(metrics: MetricsRegistry, @Inject(READINESS_INDICATORS) indicators: ReadinessIndicator[]) {
    new Gauge({
      name: 'realtime_ready',
      help: '1 while /health/ready answers 200 (every readiness indicator up), 0 while it answers 503',
      registers: [metrics.registry],
      async collect() {
        const results = await Promise.all(indicators.map((indicator) => Promise.resolve(indicator.check()).catch(() => undefined)));
        this.set(results.every((result) => result && Object.values(result).every((r) => r.status === 'up')) ? 1 : 0);
      },
    });
  }
}
