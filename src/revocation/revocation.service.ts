import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { BUS, Bus } from '../bus/bus';
import { APP_CONFIG, AppConfig } from '../config';
import { OutboundService } from '../delivery/outbound.service';
import { CloseCode, KICKED_REASON } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Revocation, REVOCATION_STORE, RevocationStore } from './revocation-store';
import { RevokedTokens } from './revoked-tokens';

/**
 * Revocations on every node, the service the admin API calls. One made on any node is applied
 * there at once, stored (Redis: until its `until`), and announced on the bus: each node adds it to
 * its RevokedTokens and closes its matching sessions with 4503. Pub/sub is at most once, so
 * cluster nodes also re-read a shared store at start and every NODE_TTL_MS / 3.
 */
@Injectable()
export class RevocationService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly list: RevokedTokens,
    @Inject(REVOCATION_STORE) private readonly store: RevocationStore,
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: ConnectionRegistryService,
    private readonly outbound: OutboundService,
    @InjectPinoLogger(RevocationService.name) private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    this.bus.onControl((message) => {
      if (message.type === 'revoke') this.apply({ userId: message.userId, jti: message.jti, untilMs: message.untilMs });
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.store.sharedAcrossNodes) return;
    const sync = () => this.sync().catch((err: unknown) => this.logger.warn({ err }, 'revocations: could not read the store'));
    await sync();
    this.timer = setInterval(sync, Math.max(100, Math.floor(this.config.nodeTtlMs / 3)));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Applies it here at once, then shares it; a failure to share leaves it in force on this node only. */
  async revoke(revocation: Revocation): Promise<void> {
    this.apply(revocation);
    await this.store.add(revocation);
    await this.bus.control({ type: 'revoke', ...revocation });
  }

  /** The revocations in force, the store's included (this node's list alone if the store fails). */
  async active(): Promise<Revocation[]> {
    await this.sync().catch((err: unknown) => this.logger.warn({ err }, 'revocations: could not read the store'));
    return this.list.active();
  }

  private async sync(): Promise<void> {
    for (const revocation of await this.store.active()) this.apply(revocation);
  }

  /** New or longer on this node: refuse the tokens, and close this node's sessions holding them. */
  private apply(revocation: Revocation): void {
    if (!this.list.revoke(revocation)) return;
    const { userId, jti } = revocation;
    const sessions = [...this.registry.all()].filter((s) => !s.closing && (s.userId === userId || (jti !== undefined && s.tokenId === jti)));
    for (const session of sessions) this.outbound.close(session, CloseCode.Kicked, KICKED_REASON);
    if (sessions.length > 0) this.logger.info({ userId, jti, closed: sessions.length }, 'revocation: sessions closed');
  }
}
