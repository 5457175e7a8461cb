import { SignJWT } from 'jose';

/**
 * Secrets for servers run as child processes. Kept apart from test/support/test-app.ts on purpose:
 * importing that builds the whole Nest module graph into the test process, which these suites
 * (attackers and load generators only) neither need nor want to pay for.
 */
export const CHILD_SECRET = 'reliability-secret-at-least-32-characters';
export const CHILD_ADMIN_TOKEN = 'reliability-admin-token-0123456789';

/** An HS256 token for CHILD_SECRET. */
export function childToken(sub: string, expiresIn = 3600, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
    .sign(new TextEncoder().encode(CHILD_SECRET));
}
