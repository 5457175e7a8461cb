import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { JwtConfig } from '../config';

export interface TokenClaims {
  sub: string;
  rooms?: string[];
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

/** Mints client tokens with the configured key: for the dev token at start and `npm run token`. */
export async function signToken(jwt: JwtConfig, claims: TokenClaims): Promise<string> {
  const { key, alg } = signingKey(jwt);
  let builder = new SignJWT(claims.rooms ? { rooms: claims.rooms } : {})
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds}s`);
  if (jwt.issuer) builder = builder.setIssuer(jwt.issuer);
  if (jwt.audience) builder = builder.setAudience(jwt.audience);
  return builder.sign(key);
}

function signingKey(jwt: JwtConfig) {
  if (jwt.secret) return { key: jwt.secret, alg: 'HS256' };
  if (jwt.privateKeyPem) {
    const key = createPrivateKey(jwt.privateKeyPem);
    return { key, alg: key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256' };
  }
  throw new Error('Minting tokens needs JWT_SECRET or JWT_PRIVATE_KEY');
}
