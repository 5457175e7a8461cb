import { Redis } from 'ioredis';
import { metric, scrape } from '../support/metrics';
import { redisPerTest, usersPerTest } from '../support/per-test';
import { killServerProcessesAfterEach, ServerProcess, startServerProcess } from '../support/server-process';
import { waitFor, waitForAsync } from '../support/wait-for';
import { Frame, TestClient } from '../support/ws-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * Interest-based subscriptions (issue 14): three real nodes on one redis-server. A node receives a
 * room's messages from Redis only while it has a member there, a user's direct frames only while
 * the user has a session there; a join on a node that was not subscribed is still gap-free.
 */
describe('cluster mode: each node receives only the rooms and users it has sessions for', () => {
  killServerProcessesAfterEach();
  const redis = redisPerTest();
  const user = usersPerTest();

  const node = (id: string) =>
    startServerProcess({
      REDIS_URL: redis().url,
      NODE_ID: id,
      RATE_LIMIT_PER_SEC: '100000',
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_USER_PER_SEC: '1000000',
      RATE_LIMIT_USER_BURST: '1000000',
      MAX_CONNECTIONS_PER_USER: '1000',
      HISTORY_SIZE: '20000',
    });
  const received = async (server: ServerProcess, kind: string) =>
    metric(await scrape(`http://127.0.0.1:${server.port}/metrics`), 'realtime_bus_messages_received_total', { kind });
  const counts = (servers: ServerProcess[], kind: string) => Promise.all(servers.map((s) => received(s, kind)));
  const messagesOf = (c: TestClient, room: string) => c.frames.filter((f: Frame) => f.type === 'message' && f.data.room === room);

  it('sends a room only to the nodes with a member (1 message per publish per such node, 0 elsewhere), and a user likewise', async () => {
    const [a, b, c] = await Promise.all([node('a'), node('b'), node('c')]);
    const rooms = ['public:only-a-1', 'public:only-a-2', 'public:only-a-3'];
    const [alice, anna, bob, carl] = await Promise.all([user(a, 'alice'), user(a, 'anna'), user(b, 'bob'), user(c, 'carl')]);
    for (const room of rooms) await Promise.all([alice.request('room.join', { room }), anna.request('room.join', { room })]);
    const before = await counts([a, b, c], 'room');
    for (const room of rooms) for (let i = 0; i < 20; i++) await alice.request('room.publish', { room, body: i });
    await waitFor(() => rooms.every((room) => messagesOf(anna, room).length === 20), 10000);
    await sleep(200);
    const after = await counts([a, b, c], 'room');
    expect(after.map((n, i) => n - before[i])).toEqual([60, 0, 0]);

    // Members on a and b: both receive each publish once, c (the publisher's node) none.
    const shared = 'public:a-and-b';
    await Promise.all([alice.request('room.join', { room: shared }), bob.request('room.join', { room: shared })]);
    const beforeShared = await counts([a, b, c], 'room');
    for (let i = 0; i < 10; i++) await carl.request('room.publish', { room: shared, body: i });
    await waitFor(() => messagesOf(alice, shared).length === 10 && messagesOf(bob, shared).length === 10, 10000);
    await sleep(200);
    const afterShared = await counts([a, b, c], 'room');
    expect(afterShared.map((n, i) => n - beforeShared[i])).toEqual([10, 10, 0]);

    // Direct messages: alice has sessions on a only.
    const beforeDirect = await counts([a, b, c], 'user');
    for (let i = 0; i < 5; i++) expect((await carl.request('direct.send', { to: 'alice', body: i })).data.delivered).toBe(1);
    await waitFor(() => alice.frames.filter((f) => f.type === 'direct').length === 5, 10000);
    await sleep(200);
    const afterDirect = await counts([a, b, c], 'user');
    expect(afterDirect.map((n, i) => n - beforeDirect[i])).toEqual([5, 0, 0]);
  }, 60000);

  it('joins gap-free on a node that was not subscribed, under a concurrent publish loop, and again after everyone left', async () => {
    const [a, c] = await Promise.all([node('a'), node('c')]);
    const rooms = ['public:hot-1', 'public:hot-2', 'public:hot-3', 'public:hot-4'];
    const publisher = await user(a, 'publisher');
    const last = new Map<string, number>();
    let publishing = true;
    /** Bursts of 8 publishes per room, back to back: a message lands in any window a join leaves open. */
    const publishLoop = async (body: string) => {
      while (publishing) {
        for (const room of rooms) {
          for (let i = 0; i < 7; i++) publisher.sendRaw(JSON.stringify({ type: 'room.publish', data: { room, body } }));
          last.set(room, (await publisher.request('room.publish', { room, body })).data.offset as number);
        }
      }
    };
    type Round = { room: string; joiners: TestClient[]; acks: Frame[] };
    const join = async (room: string, joiners: TestClient[]): Promise<Round> => ({ room, joiners, acks: await Promise.all(joiners.map((j) => j.request('room.join', { room }))) });
    /** Every joiner sees every offset after its ack's, once, in order, up to the room's last. */
    const check = async (rounds: Round[]) => {
      for (const { room, joiners, acks } of rounds) {
        const end = last.get(room)!;
        await waitFor(() => joiners.every((j) => messagesOf(j, room).some((m) => m.data.offset === end)), 15000);
        joiners.forEach((j, i) => {
          const afterAck = j.frames.slice(j.frames.indexOf(acks[i]) + 1).filter((f) => f.type === 'message' && f.data.room === room).map((f) => f.data.offset);
          expect({ room, joiner: i, afterAck }).toEqual({ room, joiner: i, afterAck: range((acks[i].data.offset as number) + 1, end) });
        });
      }
    };

    let loop = publishLoop('x');
    await sleep(200);
    // Each room fresh on c: several joiners at once (one shared SUBSCRIBE), then more once it is subscribed.
    const rounds: Round[] = [];
    for (const [k, room] of rooms.entries()) {
      rounds.push(await join(room, await Promise.all(range(1, 3).map((i) => user(c, `j${k}-${i}`)))));
      await sleep(50);
      rounds.push(await join(room, [await user(c, `j${k}-4`)]));
    }
    await sleep(300);
    publishing = false;
    await loop;
    await check(rounds);
    expect(Math.min(...last.values())).toBeGreaterThan(20);

    // Everyone leaves c; after the linger c unsubscribes, then new joins subscribe afresh.
    const probe = new Redis(redis().url);
    try {
      const subscribers = async () => Promise.all(rooms.map(async (room) => ((await probe.pubsub('NUMSUB', `rg:room:${room}`)) as [string, number])[1]));
      for (const { room, joiners } of rounds) for (const j of joiners) await j.request('room.leave', { room });
      await waitForAsync(async () => (await subscribers()).every((n) => n === 0), 10000, 200);
      publishing = true;
      loop = publishLoop('y');
      await sleep(100);
      const again: Round[] = [];
      for (const [k, room] of rooms.entries()) again.push(await join(room, [rounds[2 * k].joiners[0], await user(c, `late-${k}`)]));
      expect(await subscribers()).toEqual([1, 1, 1, 1]);
      await sleep(300);
      publishing = false;
      await loop;
      await check(again);
    } finally {
      probe.disconnect();
    }
    for (const j of user.opened) expect(j.frames.filter((f) => f.type === 'error')).toEqual([]);
  }, 90000);
});
