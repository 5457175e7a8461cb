import { SignJWT } from 'jose';
import { TEST_SECRET } from './test-app';

export interface TestClaims {
  sub?: string;
  rooms?: unknown;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  noExp?: boolean;
  [claim: string]: unknown;
}

/** An HS256 token signed with the test secret (or `secret`). */
export async function mintToken(claims: TestClaims = {}, secret: string = TEST_SECRET): Promise<string> {
  const { sub = 'alice', expiresIn = 3600, noExp = false, ...rest } = claims;
  let jwt = new SignJWT(rest).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt();
  if (sub) jwt = jwt.setSubject(sub);
  if (!noExp) jwt = jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn);
  return jwt.sign(new TextEncoder().encode(secret));
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token with `alg: none`. */
export function unsignedToken(payload: object): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}
