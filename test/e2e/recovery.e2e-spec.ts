import { HISTORY_STORE, HistoryStore } from '../../src/history/history-store';
import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { usersPerTest } from '../support/per-test';
import { serversPerTest, TestServer } from '../support/test-app';
import { Frame, TestClient } from '../support/ws-client';

const ROOM = 'public:recovery';
const FAST = { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000', HISTORY_SIZE: '2000', MAX_CONNECTIONS_PER_USER: '1000' };

describe('history and recovery', () => {
  const startServer = serversPerTest();
  const client = usersPerTest();
  const bodies = (frames: Frame[]) => frames.filter((f) => f.type === 'message' && f.data.room === ROOM).map((f) => f.data.body);
  /** Publishes n messages and waits for every ack. */
  const publish = async (publisher: TestClient, from: number, n: number) => {
    const acks = [];
    for (let i = from; i < from + n; i++) acks.push(publisher.request('room.publish', { room: ROOM, body: i }));
    return Promise.all(acks);
  };

  it('acks a join with the current position, and a publish with its offset and epoch', async () => {
    const server = await startServer(FAST);
    const alice = await client(server, 'alice');
    const joined = await alice.request('room.join', { room: ROOM });
    expect(joined.data).toEqual({ room: ROOM, offset: 0, epoch: expect.any(String) });
    const [ack] = await publish(alice, 0, 1);
    expect(ack.data).toMatchObject({ offset: 1, epoch: joined.data.epoch });
  });

  it.each([
    ['terminated by the server', async (server: TestServer, c: TestClient) => {
      [...server.app.get(ConnectionRegistryService).all()].find((s) => s.id === c.frames[0].data.sessionId)!.socket.terminate();
    }],
    ['closed by the client', async (_server: TestServer, c: TestClient) => {
      c.socket.close();
    }],
    ['dropped without a close (network loss)', async (_server: TestServer, c: TestClient) => {
      c.socket.terminate();
    }],
  ])('replays 1,000 messages missed while %s, exactly once and in order', async (_name, cut) => {
    const server = await startServer(FAST);
    const publisher = await client(server, 'pub');
    const subscriber = await client(server, 'sub');
    const joined = await subscriber.request('room.join', { room: ROOM });
    await publish(publisher, 0, 10);
    await subscriber.next((f) => f.type === 'message' && f.data.body === 9);
    const last = subscriber.frames.filter((f) => f.type === 'message').pop()!.data;
    await cut(server, subscriber);
    await subscriber.closed;
    await publish(publisher, 10, 1000);
    const back = await client(server, 'sub');
    const ack = await back.request('room.join', { room: ROOM, since: { offset: last.offset, epoch: last.epoch } });
    expect(ack.data).toEqual({ room: ROOM, offset: 1010, epoch: joined.data.epoch, recovered: true });
    expect(bodies(back.frames)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 10));
    // The replay came before the ack
    expect(back.frames.indexOf(ack)).toBe(back.frames.length - 1);
  }, 20000);

  it('neither loses nor doubles a live publish that races the replay', async () => {
    const server = await startServer(FAST);
    const store = server.app.get<HistoryStore>(HISTORY_STORE);
    const publisher = await client(server, 'pub');
    await publish(publisher, 0, 50);
    const epoch = (await store.position(ROOM)).epoch;
    // Slow the history read down so that live publishes land while the replay is being prepared.
    const since = store.since.bind(store);
    store.since = async (...args) => {
      const result = await since(...args);
      await new Promise((resolve) => setTimeout(resolve, 150));
      return result;
    };
    const subscriber = await client(server, 'sub');
    const ack = subscriber.request('room.join', { room: ROOM, since: { offset: 20, epoch } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await publish(publisher, 50, 30);
    expect((await ack).data).toMatchObject({ recovered: true, offset: 80 });
    await subscriber.next((f) => f.type === 'message' && f.data.body === 79);
    expect(bodies(subscriber.frames)).toEqual(Array.from({ length: 60 }, (_, i) => i + 20));
  });

  it('answers recovered: false and replays nothing beyond the history window', async () => {
    const server = await startServer({ ...FAST, HISTORY_SIZE: '100' });
    const publisher = await client(server, 'pub');
    const [first] = await publish(publisher, 0, 1);
    await publish(publisher, 1, 200);
    const back = await client(server, 'sub');
    const ack = await back.request('room.join', { room: ROOM, since: { offset: first.data.offset, epoch: first.data.epoch } });
    expect(ack.data).toEqual({ room: ROOM, offset: 201, epoch: first.data.epoch, recovered: false });
    expect(bodies(back.frames)).toEqual([]);
  });

  it('answers recovered: false after an epoch change (restart of the in-memory store)', async () => {
    const before = await startServer(FAST);
    const [ack] = await publish(await client(before, 'pub'), 0, 5);
    const after = await startServer(FAST);
    await publish(await client(after, 'pub'), 0, 3);
    const back = await client(after, 'sub');
    const join = await back.request('room.join', { room: ROOM, since: { offset: ack.data.offset, epoch: ack.data.epoch } });
    expect(join.data).toMatchObject({ recovered: false, offset: 3 });
    expect(join.data.epoch).not.toBe(ack.data.epoch);
    expect(bodies(back.frames)).toEqual([]);
  });

  it.each([
    ['a future offset', (epoch: string) => ({ offset: 999, epoch }), 'ack'],
    ['a non-numeric offset', (epoch: string) => ({ offset: 'abc', epoch }), 'error'],
    ['a negative offset', (epoch: string) => ({ offset: -1, epoch }), 'error'],
    ['a missing epoch', () => ({ offset: 1 }), 'error'],
  ])('fails closed on %s', async (_name, since, type) => {
    const server = await startServer(FAST);
    const publisher = await client(server, 'pub');
    const [ack] = await publish(publisher, 0, 3);
    const back = await client(server, 'sub');
    const reply = await back.request('room.join', { room: ROOM, since: since(ack.data.epoch) });
    expect(reply.type).toBe(type);
    if (type === 'ack') expect(reply.data).toMatchObject({ recovered: false, offset: 3 });
    else expect(reply.data.code).toBe('VALIDATION_FAILED');
    expect(bodies(back.frames)).toEqual([]);
  });

  it('pages history backwards with room.history, under the join permission', async () => {
    const server = await startServer(FAST);
    const alice = await client(server, 'alice');
    await publish(alice, 1, 30);
    const last = await alice.request('room.history', { room: ROOM, limit: 10 });
    expect(last.data.messages.map((m: { body: number }) => m.body)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    const previous = await alice.request('room.history', { room: ROOM, limit: 10, before: last.data.messages[0].offset });
    expect(previous.data.messages.map((m: { offset: number }) => m.offset)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect((await alice.request('room.history', { room: ROOM, limit: 101 })).data.code).toBe('VALIDATION_FAILED');
    expect((await alice.request('room.history', { room: 'private:x' })).data.code).toBe('FORBIDDEN');
  });

  it('answers UNAVAILABLE, never an ack, when the history store fails', async () => {
    const server = await startServer(FAST);
    const store = server.app.get<HistoryStore>(HISTORY_STORE);
    const alice = await client(server, 'alice');
    await alice.request('room.join', { room: ROOM });
    store.append = async () => {
      throw new Error('disk on fire');
    };
    const reply = await alice.request('room.publish', { room: ROOM, body: 'lost?' });
    expect(reply.data).toEqual({ code: 'UNAVAILABLE', message: expect.any(String) });
    await alice.request('ping');
    expect(bodies(alice.frames)).toEqual([]);
    store.position = async () => {
      throw new Error('disk on fire');
    };
    expect((await alice.request('room.join', { room: 'public:other' })).data.code).toBe('UNAVAILABLE');
    const members = await alice.request('presence.get', { room: 'public:other' });
    expect(members.data.members).toEqual([]);
  });
});
