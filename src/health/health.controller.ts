import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { READINESS_INDICATORS, ReadinessIndicator } from './readiness-indicator';

/** Probes for orchestrators; no authentication, no detail beyond up/down. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_INDICATORS) private readonly readiness: ReadinessIndicator[],
  ) {}

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
    return this.health.check(this.readiness.map((indicator) => () => indicator.check()));
  }
}
