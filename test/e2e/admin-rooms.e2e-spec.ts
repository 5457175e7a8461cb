import { HISTORY_STORE } from '../../src/history/history-store';
import { adminClient } from '../support/admin-client';
import { serversPerTest, startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, TestClient } from '../support/ws-client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('admin API: rooms and broadcast', () => {
  let server: TestServer;
  let api: ReturnType<typeof adminClient>;
  let alice: TestClient;
  let bob: TestClient;

  beforeAll(async () => {
    server = await startServer();
    api = adminClient(server.httpUrl);
    alice = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice', rooms: ['*'] }) });
    bob = await connect(server.wsUrl, { token: await mintToken({ sub: 'bob' }) });
    for (const room of ['public:b', 'public:a', 'public:c', 'other:x']) await alice.request('room.join', { room });
    await bob.request('room.join', { room: 'public:b' });
  });
  afterAll(async () => {
    await Promise.all([alice.close(), bob.close()]);
    await server.close();
  });

  const json = async (path: string): Promise<Json> => (await api(path)).json();

  it('lists the rooms with members by name, with their member counts, in pages', async () => {
    expect(await json('/admin/rooms')).toEqual({
      items: [
        { room: 'other:x', members: 1 },
        { room: 'public:a', members: 1 },
        { room: 'public:b', members: 2 },
        { room: 'public:c', members: 1 },
      ],
      nextCursor: null,
    });
    const first = await json('/admin/rooms?prefix=public:&limit=2');
    expect(first).toEqual({ items: [{ room: 'public:a', members: 1 }, { room: 'public:b', members: 2 }], nextCursor: 'public:b' });
    expect(await json(`/admin/rooms?prefix=public:&limit=2&cursor=${first.nextCursor}`)).toEqual({ items: [{ room: 'public:c', members: 1 }], nextCursor: null });
  });

  it.each([
    ['/admin/rooms?limit=0', 'limit'],
    ['/admin/rooms?prefix=bad%20prefix', 'prefix'],
    ['/admin/rooms?cursor=bad%20cursor', 'cursor'],
    ['/admin/rooms/bad%20room', 'room'],
    ['/admin/rooms/public:b?history=101', 'history'],
  ])('GET %s: 400 with details for %s', async (path, field) => {
    const response = await api(path);
    expect(response.status).toBe(400);
    expect((await response.json()).details).toEqual([{ field, constraints: expect.arrayContaining([expect.stringContaining(field)]) }]);
  });

  it('shows a room: presence, stream position and the newest messages', async () => {
    for (const text of ['one', 'two', 'three']) await alice.request('room.publish', { room: 'public:b', body: { text } });
    const room = await json('/admin/rooms/public:b?history=2');
    expect(room).toEqual({
      room: 'public:b',
      offset: 3,
      epoch: expect.any(String),
      members: [
        { userId: 'alice', sessionId: alice.frames[0].data.sessionId },
        { userId: 'bob', sessionId: bob.frames[0].data.sessionId },
      ],
      history: [
        expect.objectContaining({ from: 'alice', body: { text: 'two' }, offset: 2 }),
        expect.objectContaining({ from: 'alice', body: { text: 'three' }, offset: 3, epoch: room.epoch }),
      ],
    });
    expect((await json('/admin/rooms/public:b')).history).toHaveLength(3);
    expect((await json('/admin/rooms/public:b?history=0')).history).toEqual([]);
  });

  it('shows a room nobody is in while it still has history, and 404 for one that has neither', async () => {
    await api('/admin/rooms/public:empty/messages', { method: 'POST', json: { body: 'left behind' } });
    expect(await json('/admin/rooms/public:empty')).toMatchObject({ members: [], offset: 1, history: [expect.objectContaining({ body: 'left behind' })] });
    const missing = await api('/admin/rooms/public:never');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404, message: 'no such room' });
  });

  it('publishes to a room as "system"', async () => {
    const response = await api('/admin/rooms/public:a/messages', { method: 'POST', json: { body: { headline: 'hi' } } });
    expect(response.status).toBe(200);
    const ack: Json = await response.json();
    expect(ack).toEqual({ messageId: expect.any(String), ts: expect.any(Number), offset: 1, epoch: expect.any(String) });
    const message = await alice.next((f) => f.type === 'message' && f.data.messageId === ack.messageId);
    expect(message.data).toMatchObject({ room: 'public:a', from: 'system', body: { headline: 'hi' }, offset: 1 });
  });

  it.each([
    ['a missing body', '/admin/rooms/public:a/messages', {}, 'body'],
    ['an unknown field', '/admin/rooms/public:a/messages', { body: 1, extra: 2 }, 'extra'],
    ['a bad room name', '/admin/rooms/bad%20room/messages', { body: 1 }, 'room'],
    ['a broadcast without a body', '/admin/broadcast', { text: 'hi' }, 'text'],
  ])('answers 400 with details for %s', async (_name, path, body, field) => {
    const response = await api(path, { method: 'POST', json: body });
    expect(response.status).toBe(400);
    const error: Json = await response.json();
    expect(error).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(Array) });
    expect(error.details.map((d: Json) => d.field)).toContain(field);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await api('/admin/broadcast', { method: 'POST', body: '{"body":' });
    expect(response.status).toBe(400);
  });

  it('broadcasts to every session as a `broadcast` frame from "system"', async () => {
    const response = await api('/admin/broadcast', { method: 'POST', json: { body: { text: 'maintenance at 18:00' } } });
    expect(response.status).toBe(200);
    const result: Json = await response.json();
    expect(result).toEqual({ messageId: expect.any(String), delivered: 2 });
    for (const client of [alice, bob]) {
      const frame = await client.next((f) => f.type === 'broadcast' && f.data.messageId === result.messageId);
      expect(frame.data).toEqual({ from: 'system', body: { text: 'maintenance at 18:00' }, messageId: result.messageId, ts: expect.any(Number) });
    }
  });
});

describe('admin API: a failing history store', () => {
  const start = serversPerTest();

  it('answers 503 for a room view and a publish, and publishes nothing', async () => {
    const server = await start();
    const client = await connect(server.wsUrl, { token: await mintToken() });
    await client.request('room.join', { room: 'public:down' });
    const store = server.app.get(HISTORY_STORE);
    store.page = store.append = () => Promise.reject(new Error('store down'));
    const api = adminClient(server.httpUrl);
    const view = await api('/admin/rooms/public:down');
    expect(view.status).toBe(503);
    const publish = await api('/admin/rooms/public:down/messages', { method: 'POST', json: { body: 'x' } });
    expect(publish.status).toBe(503);
    expect(await publish.json()).toMatchObject({ statusCode: 503, message: 'message history is unavailable; retry later' });
    expect(client.frames.some((f) => f.type === 'message')).toBe(false);
    await client.close();
  });
});
