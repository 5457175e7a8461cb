import { createPublicKey, KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, JWTPayload } from 'jose';
import { APP_CONFIG, AppConfig } from '../config';
import { SYSTEM_SENDER } from '../protocol';

/** Who a verified token says the client is. */
export interface Identity {
  userId: string;
  /** Room patterns from the `rooms` claim, or DEFAULT_ROOMS when the claim is absent. */
  rooms: string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
  jti?: string;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly reason: 'missing' | 'expired' | 'invalid') {
    super(`token ${reason}`);
  }
}

/**
 * Verifies client JWTs. Accepts only the configured algorithm family: HS256 with JWT_SECRET, or
 * RS256/ES256 with JWT_PUBLIC_KEY (so an HS token signed with the public key never verifies, and
 * `alg: none` never does). `exp` and `sub` are required; iss/aud are checked when configured.
 */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | KeyObject;
  private readonly algorithms: string[];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { secret, publicKeyPem } = config.jwt;
    if (publicKeyPem) {
      this.key = createPublicKey(publicKeyPem);
      this.algorithms = [this.key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256'];
    } else if (secret) {
      this.key = secret;
      this.algorithms = ['HS256'];
    } else {
      throw new Error('TokenVerifier: no JWT key configured');
    }
  }

  async verify(token: string | undefined): Promise<Identity> {
    if (!token) throw new InvalidTokenError('missing');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: this.algorithms,
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw new InvalidTokenError(err instanceof errors.JWTExpired ? 'expired' : 'invalid');
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
    return { userId: payload.sub, rooms, exp: payload.exp as number, jti: payload.jti };
  }
}
