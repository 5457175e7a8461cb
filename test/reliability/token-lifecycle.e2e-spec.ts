import { TICKET_STORE } from '../../src/auth/ticket-store';
import { InMemoryTicketStore } from '../../src/auth/ticket-store.memory';
import { RevokedTokens } from '../../src/revocation/revoked-tokens';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, TestClient, tryUpgrade } from '../support/ws-client';

/**
 * Token lifecycle: a connection is closed with 4001 within a second of its token's `exp` (the
 * shared expiry sweep runs just after every whole second; heartbeats stay at their 25 s default
 * here, so they cannot be what closes it), unless `auth.refresh` moved the expiry first.
 */
let server: TestServer;
const nowS = () => Math.floor(Date.now() / 1000);
/** A whole second at least `min` seconds away. */
const expIn = (min: number) => nowS() + min + 1;

beforeAll(async () => {
  server = await startServer({ MAX_CONNECTIONS_PER_USER: '1000' });
});
afterAll(() => server.close());

/** Milliseconds between `exp` and the 4001 close; fails on any other close. */
async function lateness(client: TestClient, exp: number): Promise<number> {
  const closed = await client.closed;
  const at = Date.now();
  expect(closed).toEqual({ code: 4001, reason: 'token expired' });
  return at - exp * 1000;
}

describe('expiry', () => {
  it('closes 100 connections with 4001 no earlier than exp and within 1 s of it', async () => {
    const base = expIn(1);
    const clients = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const exp = base + (i % 3);
        return { exp, client: await connect(server.wsUrl, { token: await mintToken({ sub: `e${i}`, expiresIn: exp - nowS() }) }) };
      }),
    );
    const late = (await Promise.all(clients.map(({ client, exp }) => lateness(client, exp)))).sort((a, b) => a - b);
    process.stdout.write(`expiry lateness ms: min ${late[0]}, p50 ${late[50]}, max ${late[99]}\n`);
    // Close frames are read by the client a little after the server sent them, never before exp.
    expect(late[0]).toBeGreaterThanOrEqual(0);
    expect(late[99]).toBeLessThan(1000);
  }, 15000);
});

describe('auth.refresh', () => {
  it('acks a new token for the same sub; the connection then lives until the new exp', async () => {
    const first = expIn(1);
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'r1', expiresIn: first - nowS() }) });
    // The welcome tells the connection's expiry, so a client knows when to refresh.
    expect(client.frames[0].data).toMatchObject({ tokenExp: first });
    expect(Math.abs(Date.now() + client.frames[0].data.tokenExpiresInMs - first * 1000)).toBeLessThan(500);
    const second = first + 2;
    const reply = await client.request('auth.refresh', { token: await mintToken({ sub: 'r1', expiresIn: second - nowS() }) });
    expect(reply).toMatchObject({ type: 'ack', data: { exp: second } });
    // expiresInMs: the same moment by the server's clock, for clients whose clock is off.
    expect(Math.abs(Date.now() + reply.data.expiresInMs - second * 1000)).toBeLessThan(500);
    const late = await lateness(client, second);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1000);
  }, 10000);

  it.each<[string, () => Promise<string>, string]>([
    ['a token for another sub', () => mintToken({ sub: 'someone-else' }), 'token is for another user'],
    ['a token with other rooms', () => mintToken({ sub: 'r2', rooms: ['*'] }), 'token grants other rooms; reconnect to change them'],
    ['an expired token', () => mintToken({ sub: 'r2', expiresIn: -1 }), 'token expired'],
    ['a token signed with another secret', () => mintToken({ sub: 'r2' }, 'z'.repeat(40)), 'token invalid'],
    ['a revoked token', () => (server.app.get(RevokedTokens).revoke({ jti: 'gone', untilMs: Date.now() + 60_000 }), mintToken({ sub: 'r2', jti: 'gone' })), 'token revoked'],
  ])('refuses %s with FORBIDDEN and still closes at the old exp', async (_name, token, message) => {
    const exp = expIn(1);
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'r2', expiresIn: exp - nowS() }) });
    const reply = await client.request('auth.refresh', { token: await token() });
    expect(reply).toMatchObject({ type: 'error', data: { code: 'FORBIDDEN', message } });
    expect(await lateness(client, exp)).toBeLessThan(1000);
  }, 10000);
});

describe('upgrade tickets (POST /auth/ticket)', () => {
  const issue = (authorization?: string) =>
    fetch(`${server.httpUrl}/auth/ticket`, { method: 'POST', headers: authorization ? { authorization } : {} });
  const ticketFor = async (token: string) => (await (await issue(`Bearer ${token}`)).json()).ticket as string;

  it('refuses a missing or bad token with 401', async () => {
    expect((await issue()).status).toBe(401);
    expect((await issue('Bearer nope')).status).toBe(401);
    expect((await issue(`Bearer ${await mintToken({ expiresIn: -1 })}`)).status).toBe(401);
  });

  it('issues a no-store, 30 s ticket that opens one connection as the token user, once', async () => {
    const response = await issue(`Bearer ${await mintToken({ sub: 'ticketed' })}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { ticket, expiresInSeconds } = await response.json();
    expect(expiresInSeconds).toBe(30);
    const client = await connect(`${server.wsUrl}?ticket=${ticket}`);
    expect(client.frames[0].data.userId).toBe('ticketed');
    expect(await tryUpgrade(`${server.wsUrl}?ticket=${ticket}`)).toEqual({ status: 401, body: 'ticket invalid' });
    expect(await tryUpgrade(`${server.wsUrl}?ticket=made-up`)).toEqual({ status: 401, body: 'ticket invalid' });
    await client.close();
  });

  it('refuses a ticket after 30 s', async () => {
    const ticket = await ticketFor(await mintToken({ sub: 'late' }));
    const store = server.app.get<InMemoryTicketStore>(TICKET_STORE);
    store.now = () => Date.now() + 30_001;
    try {
      expect(await tryUpgrade(`${server.wsUrl}?ticket=${ticket}`)).toEqual({ status: 401, body: 'ticket invalid' });
    } finally {
      store.now = Date.now;
    }
  });

  it('caps unredeemed tickets per user (429)', async () => {
    const token = await mintToken({ sub: 'hoarder' });
    const statuses = [];
    for (let i = 0; i <= InMemoryTicketStore.maxPerUser; i++) statuses.push((await issue(`Bearer ${token}`)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(InMemoryTicketStore.maxPerUser);
    expect(statuses.at(-1)).toBe(429);
  });

  it('a ticketed connection still closes with 4001 at its token exp', async () => {
    const exp = expIn(1);
    const client = await connect(`${server.wsUrl}?ticket=${await ticketFor(await mintToken({ sub: 'short', expiresIn: exp - nowS() }))}`);
    expect(await lateness(client, exp)).toBeLessThan(1000);
  }, 10000);
});
