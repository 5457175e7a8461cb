import { createHmac } from 'node:crypto';
import { WebSocket } from 'ws';
import { startServer, TEST_ADMIN_TOKEN, TestServer } from '../support/test-app';
import { mintToken, unsignedToken } from '../support/tokens';
import { tryUpgrade } from '../support/ws-client';
import { AUDIENCE, ISSUER, RsaSigner, rsaSigner } from './support/rsa-tokens';

/** Who gets in, and with what: every refusal is a real HTTP status before the 101. */
const signer: RsaSigner = rsaSigner();
let server: TestServer;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

beforeAll(async () => {
  server = await startServer({
    JWT_SECRET: '',
    JWT_PUBLIC_KEY: signer.publicKeyPem,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    ALLOWED_ORIGINS: 'https://app.example.com,https://*.example.org:8443',
    MAX_CONNECTIONS_PER_USER: '1000',
  });
});
afterAll(() => server.close());

const upgrade = (token: string, headers: Record<string, string> = {}) => tryUpgrade(server.wsUrl, { authorization: `Bearer ${token}`, ...headers });

/** HS256 over the server's own RSA public key (PEM text) as the HMAC secret: the classic alg confusion. */
function forgedWithPublicKey(): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'mallory', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}`;
  return `${input}.${createHmac('sha256', signer.publicKeyPem).update(input).digest('base64url')}`;
}

describe('tokens', () => {
  it.each<[string, () => Promise<string> | string, number, string]>([
    ['alg none', () => unsignedToken({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 }), 401, 'token invalid'],
    ['HS256 forged with the RSA public key', forgedWithPublicKey, 401, 'token invalid'],
    ['an HS256 token (wrong family)', () => mintToken({ iss: ISSUER, aud: AUDIENCE }), 401, 'token invalid'],
    ['a missing exp', () => signer.sign({ exp: undefined }), 401, 'token invalid'],
    ['expired by 1 s', () => signer.sign({ exp: now() - 1 }), 401, 'token expired'],
    ['nbf 60 s in the future', () => signer.sign({ nbf: now() + 60 }), 401, 'token invalid'],
    ['a wrong aud', () => signer.sign({ aud: 'other' }), 401, 'token invalid'],
    ['a missing aud', () => signer.sign({ aud: undefined }), 401, 'token invalid'],
    ['a wrong iss', () => signer.sign({ iss: 'https://evil.example' }), 401, 'token invalid'],
    ['a missing iss', () => signer.sign({ iss: undefined }), 401, 'token invalid'],
    ['a kid of a key the server does not have', () => rsaSigner('other-kid').sign(), 401, 'token invalid'],
    ['8 KB of garbage', () => 'x'.repeat(8 * 1024), 401, 'token invalid'],
    ['a signature cut short', async () => (await signer.sign()).slice(0, -10), 401, 'token invalid'],
  ])('refuses %s', async (_name, token, status, body) => {
    expect(await upgrade(await token())).toEqual({ status, body });
  });

  it('accepts the valid token, and an 8 KB one, in every accepted position', async () => {
    for (const token of [await signer.sign(), await signer.sign({ pad: 'p'.repeat(8 * 1024) })]) {
      expect((await upgrade(token)).status).toBe(101);
      expect((await upgrade(token, { authorization: `bEaReR ${token}` })).status).toBe(101);
      expect((await tryUpgrade(`${server.wsUrl}?token=${token}`)).status).toBe(101);
      expect((await tryUpgrade(server.wsUrl, { 'sec-websocket-protocol': `realtime.v1, bearer.${token}` })).status).toBe(101);
      const ticket = await fetch(`${server.httpUrl}/auth/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect((await tryUpgrade(`${server.wsUrl}?ticket=${(await ticket.json()).ticket}`)).status).toBe(101);
    }
  });

  it('selects realtime.v1 in the 101 and never echoes the bearer subprotocol', async () => {
    const socket = new WebSocket(server.wsUrl, ['realtime.v1', `bearer.${await signer.sign()}`]);
    await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    expect(socket.protocol).toBe('realtime.v1');
    socket.terminate();
  });

  it('refuses a bearer subprotocol offered without realtime.v1 (400: no acceptable 101 exists)', async () => {
    expect(await tryUpgrade(server.wsUrl, { 'sec-websocket-protocol': `bearer.${await signer.sign()}` })).toEqual({
      status: 400,
      body: 'a bearer subprotocol needs the realtime.v1 subprotocol next to it',
    });
  });
});

describe('origins', () => {
  it.each([
    ['null', 'null'],
    ['a look-alike suffix', 'https://app.example.com.evil.com'],
    ['a look-alike prefix', 'https://evilapp.example.com'],
    ['a hyphenated look-alike', 'https://app-example.com'],
    ['another TLD', 'https://app.example.co'],
    ['the wrong scheme', 'http://app.example.com'],
    ['the wrong port', 'https://app.example.com:8443'],
    ['a path', 'https://app.example.com/'],
    ['userinfo', 'https://user@app.example.com'],
    ['a backslash', 'https://app.example.com\\@evil.com'],
    ['the wildcard base itself', 'https://example.org:8443'],
    ['the wildcard without its port', 'https://chat.example.org'],
    ['the wildcard as a suffix of another host', 'https://chat.example.org.evil.com:8443'],
    ['a unicode look-alike (punycode)', 'https://xn--pp-8ba.example.com'],
  ])('refuses %s: %s', async (_name, origin) => {
    expect(await upgrade(await signer.sign(), { origin })).toEqual({ status: 403, body: 'origin not allowed' });
  });

  it.each([
    ['the exact origin', 'https://app.example.com'],
    ['upper case', 'HTTPS://APP.EXAMPLE.COM'],
    ['the default port written out', 'https://app.example.com:443'],
    ['a wildcard subdomain with its port', 'https://chat.example.org:8443'],
    ['a deeper wildcard subdomain, mixed case', 'https://A.B.Example.org:8443'],
  ])('accepts %s: %s', async (_name, origin) => {
    expect((await upgrade(await signer.sign(), { origin })).status).toBe(101);
  });
});

describe('admin API credentials', () => {
  const stats = (authorization?: string) =>
    fetch(`${server.httpUrl}/admin/stats`, { headers: authorization ? { authorization } : {} }).then((r) => r.status);
  it('refuses a client token (403: valid, but no admin role), a wrong token, another scheme and none (401); takes ADMIN_TOKEN', async () => {
    expect(await stats(`Bearer ${await signer.sign()}`)).toBe(403);
    expect(await stats(`Bearer ${TEST_ADMIN_TOKEN}x`)).toBe(401);
    expect(await stats(`Basic ${Buffer.from(`admin:${TEST_ADMIN_TOKEN}`).toString('base64')}`)).toBe(401);
    expect(await stats()).toBe(401);
    expect(await stats(`Bearer ${TEST_ADMIN_TOKEN}`)).toBe(200);
  });
});
