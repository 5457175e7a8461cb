import { createPublicKey, KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { APP_CONFIG, AppConfig } from '../config';
import { RevocationList } from '../revocation/revocation-list.service';

/** `invalid`: not a token we issued (401). `not-admin`: a valid token without the role (403). */
export type AdminJwtVerdict = { subject: string } | 'invalid' | 'not-admin';

/**
 * Admin JWTs: verified with the same key, algorithms, issuer and audience as client tokens
 * (TokenVerifier's rules, which it does not expose), then granted only if ADMIN_ROLE_CLAIM holds
 * ADMIN_ROLE. Revoked users and token ids are refused like at the upgrade.
 */
@Injectable()
export class AdminJwtVerifier {
  private readonly key: Uint8Array | KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly revocations: RevocationList,
  ) {
    const { secret, publicKeyPem, jwksUrl } = config.jwt;
    if (jwksUrl) {
      // Asymmetric only, as for clients: anyone can read a JWK Set.
      this.key = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
      this.algorithms = ['RS256', 'ES256'];
    } else if (publicKeyPem) {
      this.key = createPublicKey(publicKeyPem);
      this.algorithms = [this.key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256'];
    } else if (secret) {
      this.key = secret;
      this.algorithms = ['HS256'];
    } else {
      throw new Error('AdminJwtVerifier: no JWT key configured');
    }
  }

  async verify(token: string): Promise<AdminJwtVerdict> {
    let payload: JWTPayload;
    try {
      const options = { algorithms: this.algorithms, issuer: this.config.jwt.issuer, audience: this.config.jwt.audience, requiredClaims: ['exp', 'sub'] };
      // Two overloads of jwtVerify: a fixed key, or a function that picks one from the JWKS by kid.
      ({ payload } = typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options));
    } catch {
      return 'invalid';
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0) return 'invalid';
    if (this.revocations.isRevoked({ userId: subject, jti: payload.jti })) return 'invalid';
    return this.hasAdminRole(payload) ? { subject } : 'not-admin';
  }

  /** The claim may be a list of roles or one string of space-separated roles (OAuth `scope` style). */
  private hasAdminRole(payload: JWTPayload): boolean {
    if (!this.config.adminRoleClaim) return false;
    const roles = payload[this.config.adminRoleClaim];
    if (Array.isArray(roles)) return roles.includes(this.config.adminRole);
    return typeof roles === 'string' && roles.split(' ').includes(this.config.adminRole);
  }
}
