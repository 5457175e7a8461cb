import { createHmac, createPublicKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { errors, JWTPayload, jwtVerify, JWTVerifyGetKey, RemoteJWKSetOptions } from 'jose';
import type { JwtConfig } from '../config';
import { remoteJwksKeys } from './jwks-keys';

/** What jose must check besides the signature; the same for client and admin tokens. */
interface ClaimRules {
  algorithms: string[];
  issuer?: string;
  audience?: string;
  requiredClaims: string[];
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** hs256() could not judge the token the way jose would: jose decides. */
const ASK_JOSE = Symbol('ask-jose');

/**
 * JWT verification as configured (JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL, JWT_ISSUER,
 * JWT_AUDIENCE), shared by client tokens (TokenVerifier) and admin tokens (AdminJwtVerifier).
 * Accepts only the configured algorithm family: HS256 with the secret, or RS256/ES256 with the
 * public key or the JWKS key named by `kid` (so an HS token signed with a public key never
 * verifies, and `alg: none` never does). `exp` and `sub` are required.
 *
 * HS256 is verified synchronously with node:crypto (the HMAC key set up once): jose v6 would import
 * the secret with WebCrypto on every call and verify on libuv's thread pool, ~3-10x the CPU per
 * handshake (docs/performance.md, finding 5). The checks are jose's, in jose's order; a token
 * using a header feature this path does not implement (`crit`, `b64`) is left to jose. Rejections
 * are jose's error classes, so callers tell an expired token (errors.JWTExpired) from others.
 */
export class JwtVerification {
  private readonly key: Uint8Array | KeyObject | JWTVerifyGetKey;
  private readonly rules: ClaimRules;
  private readonly secret?: Uint8Array;

  constructor(config: JwtConfig, jwksOptions?: RemoteJWKSetOptions) {
    const { secret, publicKeyPem, jwksUrl } = config;
    let algorithms: string[];
    if (jwksUrl) {
      // Asymmetric only: a JWK Set is public, so an HS256 token "signed" with one of its keys proves nothing.
      this.key = remoteJwksKeys(jwksUrl, jwksOptions);
      algorithms = ['RS256', 'ES256'];
    } else if (publicKeyPem) {
      this.key = createPublicKey(publicKeyPem);
      algorithms = [this.key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256'];
    } else if (secret) {
      this.key = secret;
      this.secret = secret;
      algorithms = ['HS256'];
    } else {
      throw new Error('no JWT key configured');
    }
    this.rules = { algorithms, issuer: config.issuer, audience: config.audience, requiredClaims: ['exp', 'sub'] };
  }

  /** The token's claims, or a rejection with jose's error (JwksUnavailableError for an unreachable JWKS). */
  verify(token: string): Promise<JWTPayload> {
    if (this.secret) {
      try {
        const payload = this.hs256(token, this.secret);
        if (payload !== ASK_JOSE) return Promise.resolve(payload);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.verifyWithJose(token);
  }

  private async verifyWithJose(token: string): Promise<JWTPayload> {
    // Two overloads of jwtVerify: a fixed key, or a function that picks one from the JWKS by kid.
    const { payload } = typeof this.key === 'function' ? await jwtVerify(token, this.key, this.rules) : await jwtVerify(token, this.key, this.rules);
    return payload;
  }

  /** jose's jwtVerify for HS256 with this secret, synchronous; ASK_JOSE when it is not sure. */
  private hs256(token: string, secret: Uint8Array): JWTPayload | typeof ASK_JOSE {
    if (typeof token !== 'string') return ASK_JOSE;
    const parts = token.split('.');
    if (parts.length !== 3) throw new errors.JWSInvalid('Invalid Compact JWS');
    const [encodedHeader, encodedPayload, encodedSignature] = parts;
    // Node's base64url decoder skips characters jose refuses: such tokens are jose's to judge.
    if (!BASE64URL.test(encodedHeader) || !BASE64URL.test(encodedPayload) || !BASE64URL.test(encodedSignature)) return ASK_JOSE;
    const header = parseObject(encodedHeader);
    if (header === undefined) throw new errors.JWSInvalid('JWS Protected Header is invalid');
    if (header.crit !== undefined || header.b64 !== undefined) return ASK_JOSE;
    if (typeof header.alg !== 'string' || !header.alg) throw new errors.JWSInvalid('JWS "alg" (Algorithm) Header Parameter missing or invalid');
    if (header.alg !== 'HS256') throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    const signature = Buffer.from(encodedSignature, 'base64url');
    const expected = createHmac('sha256', secret).update(`${encodedHeader}.${encodedPayload}`).digest();
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw new errors.JWSSignatureVerificationFailed();
    const claims = parseObject(encodedPayload);
    if (claims === undefined) throw new errors.JWTInvalid('JWT Claims Set must be a top-level JSON object');
    this.checkClaims(claims);
    return claims;
  }

  /** jose's validateClaimsSet for the options used here (no typ, subject, maxTokenAge or clock tolerance). */
  private checkClaims(claims: JWTPayload): void {
    const { issuer, audience, requiredClaims } = this.rules;
    const presence = [...requiredClaims, ...(audience !== undefined ? ['aud'] : []), ...(issuer !== undefined ? ['iss'] : [])];
    for (const claim of new Set(presence.reverse())) {
      if (!Object.hasOwn(claims, claim)) throw new errors.JWTClaimValidationFailed(`missing required "${claim}" claim`, claims, claim, 'missing');
    }
    if (issuer !== undefined && claims.iss !== issuer) throw new errors.JWTClaimValidationFailed('unexpected "iss" claim value', claims, 'iss', 'check_failed');
    if (audience !== undefined && !(typeof claims.aud === 'string' ? claims.aud === audience : Array.isArray(claims.aud) && claims.aud.includes(audience))) {
      throw new errors.JWTClaimValidationFailed('unexpected "aud" claim value', claims, 'aud', 'check_failed');
    }
    const now = Math.floor(Date.now() / 1000);
    numericDate(claims, 'iat');
    const nbf = numericDate(claims, 'nbf');
    if (nbf !== undefined && nbf > now) throw new errors.JWTClaimValidationFailed('"nbf" claim timestamp check failed', claims, 'nbf', 'check_failed');
    const exp = numericDate(claims, 'exp');
    if (exp !== undefined && exp <= now) throw new errors.JWTExpired('"exp" claim timestamp check failed', claims, 'exp', 'check_failed');
  }
}

/** A base64url-encoded JSON object (strict UTF-8, as jose decodes), or undefined. */
function parseObject(encoded: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(Buffer.from(encoded, 'base64url')));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function numericDate(claims: JWTPayload, claim: 'iat' | 'nbf' | 'exp'): number | undefined {
  const value = claims[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new errors.JWTClaimValidationFailed(`"${claim}" claim must be a number`, claims, claim, 'invalid');
  return value;
}
