import { startServer, TEST_ADMIN_TOKEN, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, TestClient } from '../support/ws-client';

describe('admin API', () => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;

  beforeAll(async () => {
    server = await startServer();
    alice = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice' }) });
    bob = await connect(server.wsUrl, { token: await mintToken({ sub: 'bob' }) });
    await alice.request('room.join', { room: 'public:news' });
  });
  afterAll(async () => {
    await alice.close();
    await server.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any;
  const json = async (response: Promise<Response>): Promise<Json> => (await response).json();
  const api = (path: string, init: RequestInit = {}, token: string | null = TEST_ADMIN_TOKEN) =>
    fetch(`${server.httpUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });

  it.each([
    ['GET', '/admin/connections'],
    ['GET', '/admin/stats'],
    ['DELETE', '/admin/connections/x'],
    ['POST', '/admin/rooms/public:news/messages'],
  ])('refuses %s %s without the admin token (401), and with a wrong or client token', async (method, path) => {
    expect((await api(path, { method }, null)).status).toBe(401);
    expect((await api(path, { method }, 'wrong-token-wrong-token')).status).toBe(401);
    expect((await api(path, { method }, await mintToken())).status).toBe(401);
  });

  it('lists connections, filtered by user and by room', async () => {
    const all = await json(api('/admin/connections'));
    expect(all.map((c: { userId: string }) => c.userId).sort()).toEqual(['alice', 'bob']);
    const [entry] = await json(api('/admin/connections?user=alice'));
    expect(entry).toEqual({
      id: alice.frames[0].data.sessionId,
      userId: 'alice',
      rooms: ['public:news'],
      connectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastActivityAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      remoteAddress: expect.stringContaining('127.0.0.1'),
    });
    const inRoom = await json(api('/admin/connections?room=public:news'));
    expect(inRoom.map((c: { userId: string }) => c.userId)).toEqual(['alice']);
    expect((await api('/admin/connections?room=bad%20room')).status).toBe(400);
  });

  it('publishes to a room as "system"', async () => {
    const response = await api('/admin/rooms/public:news/messages', { method: 'POST', body: JSON.stringify({ body: { headline: 'hi' } }) });
    expect(response.status).toBe(200);
    const ack: Json = await response.json();
    const message = await alice.next((f) => f.type === 'message' && f.data.messageId === ack.messageId);
    expect(message.data).toMatchObject({ room: 'public:news', from: 'system', body: { headline: 'hi' } });
  });

  it.each([
    ['a missing body', '/admin/rooms/public:news/messages', {}],
    ['an unknown field', '/admin/rooms/public:news/messages', { body: 1, extra: 2 }],
    ['a bad room name', '/admin/rooms/bad%20room/messages', { body: 1 }],
  ])('answers 400 with details for %s', async (_name, path, body) => {
    const response = await api(path, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).message).toEqual(expect.any(Array));
  });

  it('reports stats as numbers', async () => {
    const stats = await json(api('/admin/stats'));
    expect(stats).toMatchObject({ connections: 2, rooms: 1, users: 2, heartbeatTerminations: 0 });
    expect(typeof stats.uptimeSeconds).toBe('number');
  });

  it('kicks a connection with 4503 and answers 404 for an unknown id', async () => {
    const response = await api(`/admin/connections/${bob.frames[0].data.sessionId}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect((await bob.closed).code).toBe(4503);
    expect((await api('/admin/connections/no-such-id', { method: 'DELETE' })).status).toBe(404);
  });

  it('serves the OpenAPI document', async () => {
    const doc = await json(fetch(`${server.httpUrl}/docs-json`));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/admin/connections', '/admin/connections/{id}', '/admin/rooms/{room}/messages', '/admin/stats']),
    );
  });
});
