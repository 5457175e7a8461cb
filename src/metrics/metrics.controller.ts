import { Controller, Get, Header, Headers, Inject, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config';
import { MetricsAccess } from './metrics-access';
import { MetricsRegistry } from './metrics-registry';

/** /metrics on the main port; with METRICS_PORT it is served there alone (MetricsServer) and this route answers 404. */
@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
    private readonly access: MetricsAccess,
  ) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and was not presented' })
  scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (this.config.metrics.port !== undefined) throw new NotFoundException('Cannot GET /metrics');
    if (!this.access.allows(authorization)) throw new UnauthorizedException('metrics token required');
    return this.metrics.scrape();
  }
}
