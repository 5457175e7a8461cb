import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export const ISSUER = 'https://auth.example.test';
export const AUDIENCE = 'realtime';

export interface RsaSigner {
  publicKeyPem: string;
  privateKey: KeyObject;
  /** A token signed with this key; `claims` override the defaults, `undefined` removes a claim. */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

/** An RSA key pair and a signer of RS256 tokens for it, with iss/aud/exp/sub set by default. */
export function rsaSigner(kid?: string): RsaSigner {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    sign(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = Object.fromEntries(
        Object.entries({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 3600, ...claims }).filter(([, v]) => v !== undefined),
      );
      return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}), ...header }).sign(privateKey);
    },
  };
}
