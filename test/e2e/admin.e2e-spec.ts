import { adminClient } from '../support/admin-client';
import { serversPerTest, startServer, TEST_ADMIN_TOKEN, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, TestClient } from '../support/ws-client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MAX_PAYLOAD_BYTES = 4096;

/** Every admin endpoint, with a request that succeeds (bodies where the call takes one). */
const ENDPOINTS: { method: string; path: string; json?: unknown }[] = [
  { method: 'GET', path: '/admin/connections' },
  { method: 'GET', path: '/admin/connections/no-such-id' },
  { method: 'DELETE', path: '/admin/connections/no-such-id' },
  { method: 'DELETE', path: '/admin/users/nobody/connections' },
  { method: 'POST', path: '/admin/users/nobody/messages', json: { body: 1 } },
  { method: 'DELETE', path: '/admin/rooms/public:nowhere/members/nobody' },
  { method: 'GET', path: '/admin/rooms' },
  { method: 'GET', path: '/admin/rooms/public:nowhere' },
  { method: 'POST', path: '/admin/rooms/public:auth/messages', json: { body: 1 } },
  { method: 'POST', path: '/admin/broadcast', json: { body: 1 } },
  { method: 'GET', path: '/admin/stats' },
  { method: 'GET', path: '/admin/stats/window' },
  { method: 'POST', path: '/admin/revocations', json: { userId: 'nobody', until: '2099-01-01T00:00:00Z' } },
  { method: 'GET', path: '/admin/revocations' },
];
const WITH_BODY = ENDPOINTS.filter((e) => e.json !== undefined);

describe('admin API: authentication and limits', () => {
  let server: TestServer;
  let api: ReturnType<typeof adminClient>;

  beforeAll(async () => {
    server = await startServer({ ADMIN_ROLE_CLAIM: 'roles', MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) });
    api = adminClient(server.httpUrl);
  });
  afterAll(() => server.close());

  it.each(ENDPOINTS)('$method $path: 401 without credentials, with a wrong token or a forged JWT; 403 with a client token', async ({ method, path, json }) => {
    const status = async (token: string | null) => (await api(path, { method, json, token })).status;
    expect(await status(null)).toBe(401);
    expect(await status('wrong-token-wrong-token')).toBe(401);
    expect(await status(await mintToken({ sub: 'ops', roles: ['admin'] }, 'another-secret-that-is-at-least-32-chars'))).toBe(401);
    expect(await status(await mintToken({ sub: 'ops', roles: ['admin'], expiresIn: -10 }))).toBe(401);
    expect(await status(await mintToken({ sub: 'alice' }))).toBe(403);
    expect(await status(await mintToken({ sub: 'alice', roles: ['user'] }))).toBe(403);
  });

  it.each(ENDPOINTS)('$method $path: accepts the admin token and a JWT with the admin role', async ({ method, path, json }) => {
    const byToken = await api(path, { method, json });
    expect(byToken.status).toBeLessThan(500);
    expect([401, 403]).not.toContain(byToken.status);
    const byJwt = await api(path, { method, json, token: await mintToken({ sub: 'ops', roles: ['reader', 'admin'] }) });
    expect(byJwt.status).toBe(byToken.status);
  });

  it('accepts the role as a space-separated string claim too', async () => {
    expect((await api('/admin/stats', { token: await mintToken({ sub: 'ops', roles: 'reader admin' }) })).status).toBe(200);
    expect((await api('/admin/stats', { token: await mintToken({ sub: 'ops', roles: 'administrator' }) })).status).toBe(403);
  });

  it.each(WITH_BODY)('$method $path: 413 for a body over MAX_PAYLOAD_BYTES', async ({ method, path }) => {
    const response = await api(path, { method, json: { body: 'x'.repeat(MAX_PAYLOAD_BYTES) } });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ statusCode: 413 });
  });

  it('401 carries a JSON error and never echoes the credentials', async () => {
    const response = await api('/admin/stats', { token: 'wrong-token-wrong-token' });
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ statusCode: 401, message: 'invalid admin credentials' });
    expect(text).not.toContain('wrong-token');
  });
});

describe('admin API: admin JWTs are off without ADMIN_ROLE_CLAIM', () => {
  const start = serversPerTest();

  it('refuses a JWT carrying roles with 403, and still takes ADMIN_TOKEN', async () => {
    const server = await start();
    const api = adminClient(server.httpUrl);
    expect((await api('/admin/stats', { token: await mintToken({ sub: 'ops', roles: ['admin'] }) })).status).toBe(403);
    expect((await api('/admin/stats', { token: TEST_ADMIN_TOKEN })).status).toBe(200);
  });

  it('without ADMIN_TOKEN, the token that used to work is refused', async () => {
    const server = await start({ ADMIN_TOKEN: '' });
    expect((await adminClient(server.httpUrl)('/admin/stats')).status).toBe(401);
  });
});

describe('admin API: connections and stats', () => {
  let server: TestServer;
  let api: ReturnType<typeof adminClient>;
  let clients: TestClient[];
  const sessionId = (c: TestClient) => c.frames[0].data.sessionId as string;

  beforeAll(async () => {
    server = await startServer();
    api = adminClient(server.httpUrl);
    clients = [];
    for (const sub of ['alice', 'bob', 'alice', 'carol', 'bob']) clients.push(await connect(server.wsUrl, { token: await mintToken({ sub }) }));
    await clients[0].request('room.join', { room: 'public:news' });
    await clients[3].request('room.join', { room: 'public:news' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  const json = async (path: string): Promise<Json> => (await api(path)).json();

  it('lists connections in connection order, with the node and the rooms', async () => {
    const page = await json('/admin/connections');
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((c: Json) => c.id)).toEqual(clients.map(sessionId));
    expect(page.items[0]).toEqual({
      id: sessionId(clients[0]),
      userId: 'alice',
      node: server.config.nodeId,
      rooms: ['public:news'],
      connectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastActivityAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      remoteAddress: expect.stringContaining('127.0.0.1'),
    });
  });

  it('pages with a cursor until nextCursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page: Json = await json(`/admin/connections?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c: Json) => c.id));
      cursor = page.nextCursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(clients.map(sessionId));
  });

  it('filters by user, by room, by both and by node', async () => {
    const ids = async (query: string) => (await json(`/admin/connections?${query}`)).items.map((c: Json) => c.id);
    expect(await ids('user=alice')).toEqual([sessionId(clients[0]), sessionId(clients[2])]);
    expect(await ids('room=public:news')).toEqual([sessionId(clients[0]), sessionId(clients[3])]);
    expect(await ids('room=public:news&user=carol')).toEqual([sessionId(clients[3])]);
    expect(await ids('user=nobody')).toEqual([]);
    expect(await ids(`node=${server.config.nodeId}`)).toHaveLength(5);
    expect(await ids('node=another-node')).toEqual([]);
    expect(await ids('user=bob&limit=1&cursor=0')).toEqual([sessionId(clients[1])]);
  });

  it.each([
    ['room=bad%20room', 'room'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['extra=1', 'extra'],
  ])('GET /admin/connections?%s: 400 with details for %s', async (query, field) => {
    const response = await api(`/admin/connections?${query}`);
    expect(response.status).toBe(400);
    const body: Json = await response.json();
    expect(body.details).toEqual([{ field, constraints: expect.arrayContaining([expect.stringContaining(field)]) }]);
    expect(body.message).toEqual(body.details[0].constraints);
  });

  it('shows one connection, or 404', async () => {
    expect(await json(`/admin/connections/${sessionId(clients[1])}`)).toMatchObject({ id: sessionId(clients[1]), userId: 'bob', rooms: [] });
    const missing = await api('/admin/connections/no-such-id');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404, message: 'no such connection' });
  });

  it('reports stats per node and in total, and counts traffic', async () => {
    const before: Json = await json('/admin/stats');
    expect(before.nodes).toHaveLength(1);
    expect(before.nodes[0]).toMatchObject({ node: server.config.nodeId, connections: 5, users: 3, rooms: 1, heartbeatTerminations: 0, slowConsumerCloses: 0 });
    expect(before.total).toMatchObject({ connections: 5, users: 3, rooms: 1 });
    await clients[1].request('ping');
    const after: Json = await json('/admin/stats');
    expect(after.total.messagesIn).toBe(before.total.messagesIn + 1);
    expect(after.total.messagesOut).toBe(before.total.messagesOut + 1);
    expect(after.total.bytesIn).toBeGreaterThan(before.total.bytesIn);
    expect(after.total.bytesOut).toBeGreaterThan(before.total.bytesOut);
    expect(typeof after.nodes[0].uptimeSeconds).toBe('number');
  });

  it('kicks one connection with 4503, then answers 404 for it', async () => {
    const target = clients[4];
    const response = await api(`/admin/connections/${sessionId(target)}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await target.closed).toEqual({ code: 4503, reason: 'kicked by an administrator' });
    expect((await api(`/admin/connections/${sessionId(target)}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('closes every connection of a user with 4503, and 400 for a bad user id', async () => {
    const response = await api('/admin/users/alice/connections', { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ closed: 2 });
    expect((await clients[0].closed).code).toBe(4503);
    expect((await clients[2].closed).code).toBe(4503);
    expect(clients[3].socket.readyState).toBe(clients[3].socket.OPEN);
    expect(await (await api('/admin/users/alice/connections', { method: 'DELETE' })).json()).toEqual({ closed: 0 });
    const bad = await api(`/admin/users/${'u'.repeat(257)}/connections`, { method: 'DELETE' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).details).toEqual([{ field: 'userId', constraints: ['userId must be shorter than or equal to 256 characters'] }]);
  });
});

describe('admin API: OpenAPI', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('documents every endpoint with its schemas at /docs-json, and serves the UI at /docs', async () => {
    const doc: Json = await (await fetch(`${server.httpUrl}/docs-json`)).json();
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods as object).map((m) => `${m.toUpperCase()} ${path}`));
    const ours = operations.filter((o) => / \/(admin|health|metrics)\b/.test(o));
    expect(ours.sort()).toEqual(
      [
        'GET /admin/connections',
        'GET /admin/connections/{id}',
        'DELETE /admin/connections/{id}',
        'DELETE /admin/users/{userId}/connections',
        'POST /admin/users/{userId}/messages',
        'POST /admin/webhooks/failed/retry',
        'POST /admin/webhooks/failed/{id}/retry',
        'DELETE /admin/rooms/{room}/members/{userId}',
        'GET /admin/rooms',
        'GET /admin/rooms/{room}',
        'POST /admin/rooms/{room}/messages',
        'POST /admin/broadcast',
        'GET /admin/stats',
        'GET /admin/stats/window',
        'GET /admin/webhooks/failed',
        'POST /admin/revocations',
        'GET /admin/revocations',
        'GET /health',
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
      ].sort(),
    );
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const connections = doc.paths['/admin/connections'].get;
    expect(connections.responses['200'].content['application/json'].schema).toEqual(ref('ConnectionPage'));
    expect(connections.responses['400'].content['application/json'].schema).toEqual(ref('ValidationErrorView'));
    expect(connections.responses['401'].content['application/json'].schema).toEqual(ref('ErrorView'));
    expect(connections.responses['403'].content['application/json'].schema).toEqual(ref('ErrorView'));
    expect(connections.parameters.map((p: Json) => p.name).sort()).toEqual(['cursor', 'limit', 'node', 'room', 'user']);
    const revoke = doc.paths['/admin/revocations'].post;
    expect(revoke.requestBody.content['application/json'].schema).toEqual(ref('RevocationDto'));
    expect(revoke.responses['413'].content['application/json'].schema).toEqual(ref('ErrorView'));
    expect(doc.paths['/admin/connections/{id}'].delete.responses['404']).toBeDefined();
    expect(doc.components.schemas.RevocationDto.required).toEqual(['until']);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ConnectionView', 'RoomPage', 'RoomDetail', 'PublishBodyDto', 'PublishResult', 'DeliveryResult', 'StatsView', 'RevocationResult', 'ClosedCount']),
    );
    const ui = await fetch(`${server.httpUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});
