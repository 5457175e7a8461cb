import { Inject, Injectable, Optional } from '@nestjs/common';
import { errors, JWTPayload, RemoteJWKSetOptions } from 'jose';
import { APP_CONFIG, AppConfig } from '../config';
import { SYSTEM_SENDER } from '../protocol';
import { JWKS_OPTIONS, JwksUnavailableError } from './jwks-keys';
import { JwtVerification } from './jwt-verification';

/** Who a verified token says the client is. */
export interface Identity {
  userId: string;
  /** Room patterns from the `rooms` claim, or DEFAULT_ROOMS when the claim is absent. */
  rooms: string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
  jti?: string;
  /** The whole verified payload, custom claims included. */
  claims: JWTPayload;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  /** `unavailable`: the JWKS endpoint could not be read, so the token was not judged (503). */
  constructor(readonly reason: 'missing' | 'expired' | 'invalid' | 'unavailable') {
    super(`token ${reason}`);
  }
}

/**
 * Verifies client JWTs (keys, algorithms and claim checks: JwtVerification), then reads the
 * identity: `sub` (1-256 characters, not "system") and the `rooms` claim.
 */
@Injectable()
export class TokenVerifier {
  private readonly jwt: JwtVerification;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(JWKS_OPTIONS) jwksOptions?: RemoteJWKSetOptions,
  ) {
    this.jwt = new JwtVerification(config.jwt, jwksOptions);
  }

  async verify(token: string | undefined): Promise<Identity> {
    if (!token) throw new InvalidTokenError('missing');
    let payload: JWTPayload;
    try {
      payload = await this.jwt.verify(token);
    } catch (err) {
      throw new InvalidTokenError(err instanceof errors.JWTExpired ? 'expired' : err instanceof JwksUnavailableError ? 'unavailable' : 'invalid');
    }
    // An absent claim means the defaults; a present one (even null) must be a list of patterns.
    const rooms = payload.rooms === undefined ? [...this.config.defaultRooms] : payload.rooms;
    if (!Array.isArray(rooms) || !rooms.every((r) => typeof r === 'string')) {
      throw new InvalidTokenError('invalid');
    }
    // "system" is the sender of admin messages: no client may pose as it.
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 256 || payload.sub === SYSTEM_SENDER) {
      throw new InvalidTokenError('invalid');
    }
    return { userId: payload.sub, rooms, exp: payload.exp as number, jti: payload.jti, claims: payload };
  }
}
