import { generateKeyPair, SignJWT } from 'jose';
import { Socket, connect as tcpConnect } from 'node:net';
import { serversPerTest, startServer, TestServer } from '../support/test-app';
import { mintToken, unsignedToken } from '../support/tokens';
import { connect, tryUpgrade, upgradeResponse } from '../support/ws-client';

describe('handshake: checked before the 101', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ ALLOWED_ORIGINS: 'https://app.example.com,https://*.example.org', MAX_CONNECTIONS_PER_USER: '2' });
  });
  afterAll(() => server.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it.each([
    ['no token', async () => ({}), 401, 'token missing'],
    ['a garbage token', async () => bearer('not.a.jwt'), 401, 'token invalid'],
    ['a token signed with another secret', async () => bearer(await mintToken({}, 'another-secret-another-secret-another')), 401, 'token invalid'],
    ['an expired token', async () => bearer(await mintToken({ expiresIn: -1 })), 401, 'token expired'],
    ['a token without exp', async () => bearer(await mintToken({ noExp: true })), 401, 'token invalid'],
    ['a token without sub', async () => bearer(await mintToken({ sub: '' })), 401, 'token invalid'],
    ['alg none', async () => bearer(unsignedToken({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 60 })), 401, 'token invalid'],
    ['a rooms claim that is not a list', async () => bearer(await mintToken({ rooms: 'public:*' })), 401, 'token invalid'],
    ['a token for an RS256 key', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject('alice').setExpirationTime('1h').sign(privateKey);
      return bearer(token);
    }, 401, 'token invalid'],
    ['a disallowed origin', async () => ({ ...bearer(await mintToken()), origin: 'https://evil.com' }), 403, 'origin not allowed'],
    ['a look-alike origin', async () => ({ ...bearer(await mintToken()), origin: 'https://app.example.com.evil.com' }), 403, 'origin not allowed'],
    ['origin null', async () => ({ ...bearer(await mintToken()), origin: 'null' }), 403, 'origin not allowed'],
    ['a legacy Sec-WebSocket-Origin', async () => ({ ...bearer(await mintToken()), 'sec-websocket-origin': 'https://evil.com' }), 403, 'origin not allowed'],
    ['a token for the reserved user "system"', async () => bearer(await mintToken({ sub: 'system' })), 401, 'token invalid'],
  ])('refuses %s with a real HTTP status', async (_name, headers, status, body) => {
    const result = await tryUpgrade(server.wsUrl, await headers());
    expect(result).toEqual({ status, body });
  });

  it.each([
    ['an allowed exact origin', 'https://app.example.com'],
    ['an allowed wildcard origin', 'https://chat.example.org'],
    ['no origin (non-browser client)', undefined],
  ])('accepts %s', async (_name, origin) => {
    const headers: Record<string, string> = { ...bearer(await mintToken()) };
    if (origin) headers.origin = origin;
    expect((await tryUpgrade(server.wsUrl, headers)).status).toBe(101);
  });

  it.each([
    ['401', {}],
    ['403', { origin: 'https://evil.com' }],
  ])('labels a %s refusal as the plain text it is', async (status, headers) => {
    const result = await upgradeResponse(server.wsUrl, headers);
    expect(result.status).toBe(Number(status));
    expect(result.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('falls back to the query token when Authorization is not a Bearer token', async () => {
    const result = await tryUpgrade(`${server.wsUrl}?token=${await mintToken()}`, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(result.status).toBe(101);
  });

  it('accepts the token from the query string and greets with a welcome frame', async () => {
    const token = await mintToken({ sub: 'carol' });
    const client = await connect(`${server.wsUrl}?token=${token}`);
    const welcome = client.frames[0];
    expect(welcome.type).toBe('welcome');
    expect(welcome.data).toMatchObject({ userId: 'carol', heartbeatIntervalMs: 25000, heartbeatTimeoutMs: 10000, maxPayloadBytes: 65536 });
    expect(welcome.data.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(welcome.data.tokenExp).toBe(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp);
    await client.close();
  });

  it('refuses more than MAX_CONNECTIONS_PER_USER sessions of one user with 429', async () => {
    const token = await mintToken({ sub: 'dave' });
    const first = await connect(server.wsUrl, { token });
    const second = await connect(server.wsUrl, { token });
    expect(await tryUpgrade(server.wsUrl, bearer(token))).toEqual({ status: 429, body: 'too many connections for this user' });
    await first.close();
    await second.close();
  });

  it('cuts off a slowloris upgrade request within seconds', async () => {
    const socket: Socket = tcpConnect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = Date.now();
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined); // the drip may hit the closed socket (EPIPE): that is the point
    socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
    const dripper = setInterval(() => socket.writable && socket.write('X-Drip: 1\r\n'), 500);
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(dripper);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 15000);
});

describe('handshake: server-wide limits and origin policy options', () => {
  const startServer = serversPerTest();

  it('refuses connections over MAX_CONNECTIONS with 503', async () => {
    const server = await startServer({ MAX_CONNECTIONS: '1' });
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'a' }) });
    expect(await tryUpgrade(server.wsUrl, { authorization: `Bearer ${await mintToken({ sub: 'b' })}` })).toEqual({
      status: 503,
      body: 'server connection limit reached',
    });
    await client.close();
  });

  it('refuses requests without Origin when ALLOW_NO_ORIGIN=false', async () => {
    const server = await startServer({ ALLOW_NO_ORIGIN: 'false' });
    expect((await tryUpgrade(server.wsUrl, { authorization: `Bearer ${await mintToken()}` })).status).toBe(403);
  });
});
