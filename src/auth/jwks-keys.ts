import { createRemoteJWKSet, errors, JWTVerifyGetKey, RemoteJWKSetOptions } from 'jose';

/** Nest token for the JWKS cache settings; tests shorten the cooldown. */
export const JWKS_OPTIONS = Symbol('JWKS_OPTIONS');

/**
 * Keys are refetched at most every `cacheMaxAge`; a token whose `kid` is unknown triggers one
 * refetch (that is how a rotated-in key is found) but not more often than every
 * `cooldownDuration`, so a flood of made-up kids costs the JWKS endpoint one request per 30 s.
 */
export const DEFAULT_JWKS_OPTIONS: RemoteJWKSetOptions = { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 };

/** After a failed fetch, upgrades fail fast (503) this long instead of each one retrying the endpoint. */
export const JWKS_FAILURE_BACKOFF_MS = 5_000;

/** The JWKS endpoint could not be read: the token was not judged, so the client may retry. */
export class JwksUnavailableError extends Error {
  override name = 'JwksUnavailableError';
}

/** Errors about the token itself (its kid or alg), as opposed to the endpoint. */
const TOKEN_ERRORS = [errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSENotSupported, errors.JWSInvalid, errors.JOSEAlgNotAllowed];

/**
 * jose's remote JWK Set (caching, cooldown, one fetch in flight at a time), plus a failure
 * backoff: jose only rate-limits refetches after a successful one, so an endpoint that is down
 * would otherwise be fetched once per upgrade.
 */
export function remoteJwksKeys(url: string, options: RemoteJWKSetOptions = {}, backoffMs = JWKS_FAILURE_BACKOFF_MS): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), { ...DEFAULT_JWKS_OPTIONS, ...options });
  let failedAt = Number.NEGATIVE_INFINITY;
  return async (header, token) => {
    if (Date.now() - failedAt < backoffMs) throw new JwksUnavailableError('JWKS endpoint failed recently');
    try {
      return await remote(header, token);
    } catch (err) {
      if (TOKEN_ERRORS.some((type) => err instanceof type)) throw err;
      failedAt = Date.now();
      throw new JwksUnavailableError(err instanceof Error ? err.message : String(err));
    }
  };
}
