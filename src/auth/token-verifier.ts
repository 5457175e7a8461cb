import { createPublicKey, KeyObject } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { errors, JWTPayload, jwtVerify, JWTVerifyGetKey, RemoteJWKSetOptions } from 'jose';
import { APP_CONFIG, AppConfig } from '../config';
import { SYSTEM_SENDER } from '../protocol';
import { JWKS_OPTIONS, JwksUnavailableError, remoteJwksKeys } from './jwks-keys';

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
  /** `unavailable`: the JWKS endpoint could not be read, so the token was not judged (503). */
  constructor(readonly reason: 'missing' | 'expired' | 'invalid' | 'unavailable') {
    super(`token ${reason}`);
  }
}

/**
 * Verifies client JWTs. Accepts only the configured algorithm family: HS256 with JWT_SECRET, or
 * RS256/ES256 with JWT_PUBLIC_KEY or the JWT_JWKS_URL key named by `kid` (so an HS token signed
 * with a public key never verifies, and `alg: none` never does). `exp` and `sub` are required; iss/aud are checked when configured.
 */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(JWKS_OPTIONS) jwksOptions?: RemoteJWKSetOptions,
  ) {
    const { secret, publicKeyPem, jwksUrl } = config.jwt;
    if (jwksUrl) {
      // Asymmetric only: a JWK Set is public, so an HS256 token "signed" with one of its keys proves nothing.
      this.key = remoteJwksKeys(jwksUrl, jwksOptions);
      this.algorithms = ['RS256', 'ES256'];
    } else if (publicKeyPem) {
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
      const options = { algorithms: this.algorithms, issuer: this.config.jwt.issuer, audience: this.config.jwt.audience, requiredClaims: ['exp', 'sub'] };
      // Two overloads of jwtVerify: a fixed key, or a function that picks one from the JWKS by kid.
      ({ payload } = typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options));
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
    return { userId: payload.sub, rooms, exp: payload.exp as number, jti: payload.jti };
  }
}
