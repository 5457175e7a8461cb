import type { HealthIndicatorResult } from '@nestjs/terminus';

/** One condition /health/ready (or /health) checks. A `down` result makes the whole check answer 503. */
export interface ReadinessIndicator {
  check(): Promise<HealthIndicatorResult> | HealthIndicatorResult;
}

/** The indicators /health/ready runs, in order (see HealthModule for the list). */
export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');

/** The shared dependencies /health reports and readiness ignores (see HealthModule). */
export const DEPENDENCY_INDICATORS = Symbol('DEPENDENCY_INDICATORS');
