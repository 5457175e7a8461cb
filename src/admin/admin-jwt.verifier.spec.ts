import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';
import type { AppConfig, JwtConfig } from '../config';
import { RevokedTokens } from '../revocation/revoked-tokens';
import { AdminJwtVerifier } from './admin-jwt.verifier';

const SECRET = new TextEncoder().encode('s'.repeat(32));

function verifier(jwt: Partial<JwtConfig>, settings: Partial<AppConfig> = { adminRoleClaim: 'roles' }, revocations = new RevokedTokens()) {
  const config = { jwt: { ephemeral: false, ...jwt }, adminRole: 'admin', ...settings } as AppConfig;
  return new AdminJwtVerifier(config, revocations);
}

function sign(claims: Record<string, unknown>, key: Uint8Array | KeyObject = SECRET, alg = 'HS256', kid?: string) {
  const { sub = 'ops', expiresIn = 60, ...rest } = claims;
  let jwt = new SignJWT(rest).setProtectedHeader({ alg, kid }).setExpirationTime(Math.floor(Date.now() / 1000) + (expiresIn as number));
  if (sub) jwt = jwt.setSubject(sub as string);
  return jwt.sign(key);
}

describe('AdminJwtVerifier', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['the role in a list', { roles: ['reader', 'admin'] }, { subject: 'ops' }],
    ['the role as a string of roles', { roles: 'reader admin' }, { subject: 'ops' }],
    ['other roles only', { roles: ['reader', 'administrator'] }, 'not-admin'],
    ['no roles claim (a client token)', { rooms: ['*'] }, 'not-admin'],
    ['a roles claim of another type', { roles: { admin: true } }, 'not-admin'],
    ['an expired token', { roles: ['admin'], expiresIn: -5 }, 'invalid'],
    ['no sub', { roles: ['admin'], sub: '' }, 'invalid'],
  ])('%s -> %j', async (_name, claims, verdict) => {
    expect(await verifier({ secret: SECRET }).verify(await sign(claims))).toEqual(verdict);
  });

  it('refuses a token signed with another key, and garbage', async () => {
    const v = verifier({ secret: SECRET });
    expect(await v.verify(await sign({ roles: ['admin'] }, new TextEncoder().encode('t'.repeat(32))))).toBe('invalid');
    expect(await v.verify('not.a.jwt')).toBe('invalid');
  });

  it('grants nothing when ADMIN_ROLE_CLAIM is not set', async () => {
    expect(await verifier({ secret: SECRET }, {}).verify(await sign({ roles: ['admin'] }))).toBe('not-admin');
  });

  it('checks the issuer and the audience when they are configured', async () => {
    const v = verifier({ secret: SECRET, issuer: 'https://auth.example.com', audience: 'gateway' });
    expect(await v.verify(await sign({ roles: ['admin'] }))).toBe('invalid');
    expect(await v.verify(await sign({ roles: ['admin'], iss: 'https://auth.example.com', aud: 'gateway' }))).toEqual({ subject: 'ops' });
  });

  it('refuses revoked users and token ids', async () => {
    const revocations = new RevokedTokens();
    const v = verifier({ secret: SECRET }, { adminRoleClaim: 'roles' }, revocations);
    revocations.revoke({ userId: 'mallory', untilMs: Date.now() + 60_000 });
    revocations.revoke({ jti: 'leaked', untilMs: Date.now() + 60_000 });
    expect(await v.verify(await sign({ sub: 'mallory', roles: ['admin'] }))).toBe('invalid');
    expect(await v.verify(await sign({ roles: ['admin'], jti: 'leaked' }))).toBe('invalid');
    expect(await v.verify(await sign({ roles: ['admin'], jti: 'fine' }))).toEqual({ subject: 'ops' });
  });

  it('verifies ES256 with JWT_PUBLIC_KEY, and refuses an HS256 token signed with that public key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const v = verifier({ publicKeyPem: pem });
    expect(await v.verify(await sign({ roles: ['admin'] }, privateKey, 'ES256'))).toEqual({ subject: 'ops' });
    expect(await v.verify(await sign({ roles: ['admin'] }, new TextEncoder().encode(pem)))).toBe('invalid');
  });

  describe('with JWT_JWKS_URL', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let server: Server;
    let url: string;

    beforeAll(async () => {
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('verifies with the key named by kid', async () => {
      const v = verifier({ jwksUrl: url });
      expect(await v.verify(await sign({ roles: ['admin'] }, privateKey, 'RS256', 'k1'))).toEqual({ subject: 'ops' });
      expect(await v.verify(await sign({ roles: ['admin'] }, privateKey, 'RS256', 'unknown'))).toBe('invalid');
    });
  });
});
