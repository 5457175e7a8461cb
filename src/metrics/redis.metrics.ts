import { Inject, Injectable, Optional } from '@nestjs/common';
import { RedisClients } from '../redis/redis-clients';
import { REDIS } from '../redis/redis.module';
import { MetricsRegistry } from './metrics-registry';
import { collectedGauge } from './slot-counter';

/** Cluster mode: whether this node reaches Redis (readiness ignores it; see HealthModule). */
@Injectable()
export class RedisMetrics {
  constructor(metrics: MetricsRegistry, @Optional() @Inject(REDIS) redis?: RedisClients) {
    if (!redis) return;
    collectedGauge(metrics.registry, 'realtime_redis_up', '1 while both Redis connections (commands, pub/sub) are ready, else 0', () => (redis.ready ? 1 : 0));
  }
}
