import * as http from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';

/**
 * Express, on an HTTP server created with timeouts: a slow or half-sent request (slowloris on the
 * upgrade) is cut off after HEADERS_TIMEOUT_MS, checked every CHECK_INTERVAL_MS. Nest's adapter
 * creates its server without options, and connectionsCheckingInterval can only be set at creation.
 */
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 15_000;
const CHECK_INTERVAL_MS = 1_000;

export class HardenedExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    super.initHttpServer(options);
    this.httpServer = http.createServer(
      { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: CHECK_INTERVAL_MS },
      this.getInstance(),
    );
  }
}
