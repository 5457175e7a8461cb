import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Registry } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config';
import { MetricsAccess } from './metrics-access';
import { MetricsRegistry } from './metrics-registry';

/** /metrics on its own port (METRICS_PORT, when set), so it can stay on a network clients cannot reach. */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsRegistry,
    access: MetricsAccess,
    @InjectPinoLogger(MetricsServer.name) private readonly logger: PinoLogger,
  ) {
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return void res.writeHead(404).end();
      if (!access.allows(req.headers.authorization)) return void res.writeHead(401).end();
      metrics.scrape().then(
        (text) => res.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE }).end(text),
        (err: unknown) => {
          this.logger.error({ err }, 'metrics scrape failed');
          res.writeHead(500).end();
        },
      );
    });
  }

  /** The bound port (METRICS_PORT=0 picks a free one). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metrics.port === undefined) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.metrics.port, () => resolve());
    });
    this.logger.info({ port: this.port }, 'metrics listening');
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
