import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ShutdownModule } from '../shutdown/shutdown.module';
import { DrainIndicator } from './drain.indicator';
import { HealthController } from './health.controller';
import { ReadinessMetrics } from './readiness.metrics';
import { RedisIndicator } from './redis.indicator';
import { DEPENDENCY_INDICATORS, READINESS_INDICATORS, ReadinessIndicator } from './readiness-indicator';

/**
 * What /health/ready checks: whether this node can take new clients (not draining). To gate
 * readiness on another condition of this node, write a ReadinessIndicator provider and add it here.
 */
const READINESS = [DrainIndicator];

/**
 * What /health reports besides. Not readiness: Redis is shared, so gating on it would take every
 * node out of the load balancer at once, while each one keeps its connections through the outage.
 */
const DEPENDENCIES = [RedisIndicator];

const list = (...indicators: ReadinessIndicator[]) => indicators;

@Module({
  // Failures are answered with 503 and their reason; logging each probe of a draining node is noise.
  imports: [TerminusModule.forRoot({ logger: false }), ShutdownModule],
  controllers: [HealthController],
  providers: [
    ...READINESS,
    ...DEPENDENCIES,
    { provide: READINESS_INDICATORS, useFactory: list, inject: READINESS },
    { provide: DEPENDENCY_INDICATORS, useFactory: list, inject: DEPENDENCIES },
    ReadinessMetrics,
  ],
})
export class HealthModule {}
