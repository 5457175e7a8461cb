import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { WebSocketServer } from 'ws';
import type { Identity } from '../auth/token-verifier';
import { AppConfig } from '../config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { COMPRESSION } from './compression';
import { UpgradeCork } from './upgrade-cork';
import { selectProtocol } from './upgrade-request';
import { UpgradeVerifierService } from './upgrade-verifier.service';

const IDENTITY = Symbol('identity');

/** The identity verifyClient attached to the upgrade request. */
export function identityOf(req: IncomingMessage): Identity {
  return (req as IncomingMessage & { [IDENTITY]: Identity })[IDENTITY];
}

type VerifyCallback = (ok: boolean, status?: number, reason?: string, headers?: Record<string, string>) => void;

/** ws would label a refusal's plain sentence `text/html` (docs/protocol.md, section 2). */
const REFUSAL_HEADERS = { 'Content-Type': 'text/plain; charset=utf-8' };

/**
 * Nest's ws adapter, with the upgrade checked before the 101 (ws `verifyClient` answers refusals
 * with a real HTTP status). WebSocketEndpointService creates the one server on WS_PATH through it;
 * RealtimeGateway attaches one shared listener per socket and owns parse -> validate -> dispatch ->
 * error frame, so the adapter's per-client RxJS message chain is never bound.
 */
export class RealtimeWsAdapter extends WsAdapter {
  private readonly log = new Logger('RealtimeWsAdapter');
  private readonly cork = new UpgradeCork();

  constructor(
    httpServer: Server,
    private readonly verifier: UpgradeVerifierService,
    private readonly config: AppConfig,
    private readonly metrics: GatewayMetrics,
  ) {
    super(httpServer);
  }

  /**
   * The server on WS_PATH of the application's HTTP server, built from this package's `ws` (the
   * version delivery/ws-internals.ts was checked against): WsAdapter would build it from the `ws`
   * that @nestjs/platform-ws pins, and our `overrides` do not reach a host's install. WsAdapter
   * still routes the upgrades by path and closes everything on shutdown.
   */
  override create(): WebSocketServer {
    const server = new WebSocketServer({
      noServer: true,
      maxPayload: this.config.maxPayloadBytes,
      perMessageDeflate: this.config.wsCompression ? COMPRESSION : false,
      handleProtocols: selectProtocol,
      verifyClient: (info: { req: IncomingMessage }, done: VerifyCallback) => this.verify(info.req, done),
    });
    this.ensureHttpServerExists(0, this.httpServer as Server);
    this.addWsServerToRegistry(server, 0, this.config.wsPath);
    return this.bindErrorHandler(server);
  }

  /** Socket errors are handled per socket by RealtimeGateway; only server errors are logged here. */
  override bindErrorHandler<T extends { on(event: 'error', listener: (err: Error) => void): unknown }>(server: T): T {
    server.on('error', (err) => this.log.error(err));
    return server;
  }

  private verify(req: IncomingMessage, done: VerifyCallback): void {
    this.verifier.decide(req).then(
      (decision) => {
        this.metrics.upgraded(decision.accepted ? 'ok' : decision.status);
        if (!decision.accepted) return done(false, decision.status, decision.reason, REFUSAL_HEADERS);
        (req as IncomingMessage & { [IDENTITY]: Identity })[IDENTITY] = decision.identity;
        // ws writes the 101 within done(true); the welcome joins it in the same write (UpgradeCork).
        this.cork.hold(req.socket);
        done(true);
      },
      (err: unknown) => {
        this.log.error(err);
        this.metrics.upgraded(500);
        done(false, 500, 'internal error', REFUSAL_HEADERS);
      },
    );
  }
}
