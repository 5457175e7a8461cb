import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GatewayModule } from '../gateway/gateway.module';
import { DrainIndicator } from './drain.indicator';
import { HealthController } from './health.controller';
import { RedisIndicator } from './redis.indicator';
import { READINESS_INDICATORS, ReadinessIndicator } from './readiness-indicator';

/**
 * What /health/ready checks: not draining, and Redis connected in cluster mode. To gate readiness
 * on another dependency, write a ReadinessIndicator provider and add it here.
 */
const INDICATORS = [DrainIndicator, RedisIndicator];

@Module({
  // Failures are answered with 503 and their reason; logging each probe of a draining node is noise.
  imports: [TerminusModule.forRoot({ logger: false }), GatewayModule],
  controllers: [HealthController],
  providers: [...INDICATORS, { provide: READINESS_INDICATORS, useFactory: (...indicators: ReadinessIndicator[]) => indicators, inject: INDICATORS }],
})
export class HealthModule {}
