import type { HealthIndicatorResult } from '@nestjs/terminus';

/** One condition /health/ready depends on. A `down` result makes the whole check answer 503. */
export interface ReadinessIndicator {
  check(): Promise<HealthIndicatorResult> | HealthIndicatorResult;
}

/** The indicators /health/ready runs, in order (see HealthModule for the list). */
export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');
