import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisClients } from '../redis/redis-clients';
import { REDIS } from '../redis/redis.module';
import { ReadinessIndicator } from './readiness-indicator';

/** Cluster mode: down while either Redis connection is (publishes, joins and history answer UNAVAILABLE). */
@Injectable()
export class RedisIndicator implements ReadinessIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Optional() @Inject(REDIS) private readonly redis?: RedisClients,
  ) {}

  check() {
    const indicator = this.health.check('redis');
    if (!this.redis) return indicator.up({ mode: 'single node' });
    return this.redis.ready ? indicator.up() : indicator.down({ message: 'Redis unreachable' });
  }
}
