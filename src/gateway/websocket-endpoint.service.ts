import type { IncomingMessage, Server } from 'node:http';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { WebSocket, WebSocketServer } from 'ws';
import { APP_CONFIG, AppConfig } from '../config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { DrainService } from '../shutdown/drain.service';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeWsAdapter } from './realtime-ws.adapter';
import { UpgradeVerifierService } from './upgrade-verifier.service';

/**
 * The WebSocket endpoint: one ws server on WS_PATH, attached to the application's own HTTP server
 * (the standalone service's, or a host application's) when the application starts. It is not a
 * Nest @WebSocketGateway, so a host needs no `app.useWebSocketAdapter` call and Nest's socket
 * module never opens a second server for it.
 */
@Injectable()
export class WebSocketEndpointService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private adapter?: RealtimeWsAdapter;
  private server?: WebSocketServer;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly verifier: UpgradeVerifierService,
    private readonly gateway: RealtimeGateway,
    private readonly drain: DrainService,
    private readonly metrics: GatewayMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const httpServer = this.host.httpAdapter.getHttpServer() as Server;
    this.adapter = new RealtimeWsAdapter(httpServer, this.verifier, this.config, this.metrics);
    this.server = this.adapter.create();
    this.server.on('connection', (socket: WebSocket, req: IncomingMessage) => this.gateway.handleConnection(socket, req));
  }

  /** After the drain's 1001 closes, what is left is terminated and the upgrade listener removed, before the HTTP server closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain.drain();
    if (!this.adapter || !this.server) return;
    await this.adapter.close(this.server);
    await this.adapter.dispose();
  }
}
