import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { AddressConnections } from '../auth/address-connections';
import { OriginPolicy } from '../auth/origin-policy';
import { TICKET_STORE, TicketStore, TicketStoreUnavailableError } from '../auth/ticket-store';
import { TokenExpiryService } from '../auth/token-expiry.service';
import { Identity, InvalidTokenError, TokenVerifier } from '../auth/token-verifier';
import { PRESENCE_STORE, PresenceStore } from '../presence/presence-store';
import { APP_CONFIG, AppConfig } from '../config';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { RevokedTokens } from '../revocation/revoked-tokens';
import { DrainService } from '../shutdown/drain.service';
import { Credential, extractCredential, extractOrigin, remoteAddress } from './upgrade-request';

type RefusalStatus = 400 | 401 | 403 | 429 | 503;

export type UpgradeDecision = { accepted: true; identity: Identity } | { accepted: false; status: RefusalStatus; reason: string };

export const TOKEN_REASONS: Record<InvalidTokenError['reason'], string> = {
  missing: 'token missing',
  expired: 'token expired',
  invalid: 'token invalid',
  unavailable: 'token keys unavailable',
};

/**
 * Decides an upgrade request before the 101: shutting down 503, Origin 403, a bearer subprotocol
 * without the app protocol 400, MAX_CONNECTIONS_PER_IP 429 (before the token, so one address
 * cannot make us verify signatures for nothing), token or ticket 401 (JWKS or ticket store down: 503),
 * MAX_CONNECTIONS 503, MAX_CONNECTIONS_PER_USER 429. Cheapest checks first.
 */
@Injectable()
export class UpgradeVerifierService {
  private readonly origins: OriginPolicy;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokenVerifier,
    private readonly registry: ConnectionRegistryService,
    private readonly drain: DrainService,
    private readonly addresses: AddressConnections,
    private readonly expiry: TokenExpiryService,
    @Inject(TICKET_STORE) private readonly tickets: TicketStore,
    private readonly revocations: RevokedTokens,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
  ) {
    this.origins = new OriginPolicy(config.allowedOrigins, config.allowNoOrigin);
  }

  async decide(req: IncomingMessage): Promise<UpgradeDecision> {
    if (this.drain.draining) return refuse(503, 'server is shutting down');
    if (!this.origins.allows(extractOrigin(req), req.headers.host)) return refuse(403, 'origin not allowed');
    const credential = extractCredential(req);
    if (credential.kind === 'bad-protocol') return refuse(400, 'a bearer subprotocol needs the realtime.v1 subprotocol next to it');
    const address = remoteAddress(req, this.config.trustProxy);
    if (this.addresses.count(address) >= this.config.maxConnectionsPerIp) return refuse(429, 'too many connections from this address');
    const identity = await this.identify(credential);
    if ('accepted' in identity) return identity;
    if (this.revocations.isRevoked(identity)) return refuse(401, 'token revoked');
    if (this.registry.size >= this.config.maxConnections) return refuse(503, 'server connection limit reached');
    if ((await this.sessionsOf(identity.userId)) >= this.config.maxConnectionsPerUser) {
      return refuse(429, 'too many connections for this user');
    }
    // Checked again and counted at once: handshakes verified concurrently cannot overshoot it.
    if (this.addresses.count(address) >= this.config.maxConnectionsPerIp) return refuse(429, 'too many connections from this address');
    if (!this.addresses.hold(address, req.socket)) return refuse(400, 'connection closed during the handshake');
    // Same tick as the 101 and the session's registration, so no expiry sweep can fall in between.
    this.expiry.track(identity.userId, identity.exp);
    return { accepted: true, identity };
  }

  /** The user's sessions on every node; this node's alone while the cluster store is unreachable. */
  private async sessionsOf(userId: string): Promise<number> {
    const local = this.registry.ofUser(userId).size;
    return this.presence.countForUser(userId).then(
      (all) => Math.max(all, local),
      () => local,
    );
  }

  private async identify(credential: Credential): Promise<Identity | UpgradeDecision> {
    if (credential.kind === 'ticket') {
      let identity: Identity | undefined;
      try {
        identity = await this.tickets.redeem(credential.ticket);
      } catch (err) {
        if (err instanceof TicketStoreUnavailableError) return refuse(503, 'ticket store unavailable');
        throw err;
      }
      // Reused, expired and unknown tickets look the same to the client.
      return identity && identity.exp * 1000 > Date.now() ? identity : refuse(401, 'ticket invalid');
    }
    try {
      return await this.tokens.verify(credential.kind === 'token' ? credential.token : undefined);
    } catch (err) {
      if (err instanceof InvalidTokenError) return refuse(err.reason === 'unavailable' ? 503 : 401, TOKEN_REASONS[err.reason]);
      throw err;
    }
  }
}

function refuse(status: RefusalStatus, reason: string): UpgradeDecision {
  return { accepted: false, status, reason };
}
