import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DrainService } from '../shutdown/drain.service';
import { ReadinessIndicator } from './readiness-indicator';

/** Not ready once shutdown has begun: load balancers stop sending new clients before the 503s. */
@Injectable()
export class DrainIndicator implements ReadinessIndicator {
  constructor(
    private readonly drain: DrainService,
    private readonly health: HealthIndicatorService,
  ) {}

  check() {
    const indicator = this.health.check('shutdown');
    return this.drain.draining ? indicator.down({ message: 'draining connections' }) : indicator.up();
  }
}
