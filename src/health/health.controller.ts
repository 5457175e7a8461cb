import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { DEPENDENCY_INDICATORS, READINESS_INDICATORS, ReadinessIndicator } from './readiness-indicator';

/** Probes for orchestrators, and a detail view; no authentication, no detail beyond up/down. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_INDICATORS) private readonly readiness: ReadinessIndicator[],
    @Inject(DEPENDENCY_INDICATORS) private readonly dependencies: ReadinessIndicator[],
  ) {}

  /** Readiness and the shared dependencies (Redis), for people and monitoring: not a probe (503 when any is down). */
  @Get()
  @HealthCheck()
  detail() {
    return this.run([...this.readiness, ...this.dependencies]);
  }

  /**
   * The process answers HTTP: restart it only when this fails. Not run through HealthCheckService,
   * which fails every check once shutdown begins: a draining process is alive, and killing it
   * would cut the drain short.
   */
  @Get('live')
  @HealthCheck()
  live(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  /** Send it new clients: 503 from the start of shutdown (and whenever a readiness indicator is down). */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.run(this.readiness);
  }

  private run(indicators: ReadinessIndicator[]) {
    return this.health.check(indicators.map((indicator) => () => indicator.check()));
  }
}
