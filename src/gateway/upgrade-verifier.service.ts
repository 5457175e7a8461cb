import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { Identity, InvalidTokenError, TokenVerifier } from '../auth/token-verifier';
import { OriginPolicy } from '../auth/origin-policy';
import { APP_CONFIG, AppConfig } from '../config';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { DrainService } from './drain.service';
import { extractOrigin, extractToken } from './upgrade-request';

export type UpgradeDecision =
  | { accepted: true; identity: Identity }
  | { accepted: false; status: 401 | 403 | 429 | 503; reason: string };

const TOKEN_REASONS: Record<InvalidTokenError['reason'], string> = {
  missing: 'token missing',
  expired: 'token expired',
  invalid: 'token invalid',
};

/**
 * Decides an upgrade request before the 101: shutting down 503, Origin 403, token 401,
 * MAX_CONNECTIONS 503, MAX_CONNECTIONS_PER_USER 429. Cheapest checks first.
 */
@Injectable()
export class UpgradeVerifier {
  private readonly origins: OriginPolicy;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokenVerifier,
    private readonly registry: ConnectionRegistry,
    private readonly drain: DrainService,
  ) {
    this.origins = new OriginPolicy(config.allowedOrigins, config.allowNoOrigin);
  }

  async decide(req: IncomingMessage): Promise<UpgradeDecision> {
    if (this.drain.draining) return refuse(503, 'server is shutting down');
    if (!this.origins.allows(extractOrigin(req), req.headers.host)) return refuse(403, 'origin not allowed');
    let identity: Identity;
    try {
      identity = await this.tokens.verify(extractToken(req));
    } catch (err) {
      if (err instanceof InvalidTokenError) return refuse(401, TOKEN_REASONS[err.reason]);
      throw err;
    }
    if (this.registry.size >= this.config.maxConnections) return refuse(503, 'server connection limit reached');
    if (this.registry.ofUser(identity.userId).size >= this.config.maxConnectionsPerUser) {
      return refuse(429, 'too many connections for this user');
    }
    return { accepted: true, identity };
  }
}

function refuse(status: 401 | 403 | 429 | 503, reason: string): UpgradeDecision {
  return { accepted: false, status, reason };
}
