import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { BearerSecret, bearerToken } from '../http/bearer-secret';

/** METRICS_TOKEN, when set, is required as a bearer token on /metrics (either port). */
@Injectable()
export class MetricsAccess {
  private readonly token: BearerSecret;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.token = new BearerSecret(config.metrics.token);
  }

  allows(authorization: string | undefined): boolean {
    return !this.token.configured || this.token.matches(bearerToken(authorization));
  }
}
