import { Inject, Injectable, Optional } from '@nestjs/common';
import { JWTPayload, RemoteJWKSetOptions } from 'jose';
import { JWKS_OPTIONS } from '../auth/jwks-keys';
import { JwtVerification } from '../auth/jwt-verification';
import { APP_CONFIG, AppConfig } from '../config';
import { RevokedTokens } from '../revocation/revoked-tokens';

/** `invalid`: not a token we issued (401). `not-admin`: a valid token without the role (403). */
export type AdminJwtVerdict = { subject: string } | 'invalid' | 'not-admin';

/**
 * Admin JWTs: verified with the same key, algorithms, issuer and audience as client tokens
 * (JwtVerification, shared with TokenVerifier), then granted only if ADMIN_ROLE_CLAIM holds
 * ADMIN_ROLE. Revoked users and token ids are refused like at the upgrade.
 */
@Injectable()
export class AdminJwtVerifier {
  private readonly jwt: JwtVerification;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly revocations: RevokedTokens,
    @Optional() @Inject(JWKS_OPTIONS) jwksOptions?: RemoteJWKSetOptions,
  ) {
    this.jwt = new JwtVerification(config.jwt, jwksOptions);
  }

  async verify(token: string): Promise<AdminJwtVerdict> {
    let payload: JWTPayload;
    try {
      payload = await this.jwt.verify(token);
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
