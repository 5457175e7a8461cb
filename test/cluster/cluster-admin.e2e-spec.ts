import { Redis } from 'ioredis';
import { adminClient } from '../support/admin-client';
import { startNginx } from '../support/nginx';
import { RedisServer, startRedis } from '../support/redis-server';
import { killServerProcessesAfterEach, ServerProcess, startServerProcess } from '../support/server-process';
import { mintToken } from '../support/tokens';
import { signatureIsValid, startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { connect, TestClient, tryUpgrade } from '../support/ws-client';
import { waitFor } from '../support/wait-for';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NODE_TTL_MS = 1500;
const WEBHOOK_SECRET = 'cluster-webhook-secret-0123456789';

/** Polls an async check until it stops throwing (it is then returned), or rethrows its last failure. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

interface ConnectionItem {
  id: string;
  userId: string;
  node: string;
  rooms: string[];
  lastActivityAt: string;
  remoteAddress: string;
}

/** The admin API of a cluster (directory, stats, revocations, webhooks) from any node: real Redis, real node processes. */
describe('cluster mode: the admin API and webhooks see the whole service', () => {
  killServerProcessesAfterEach();
  let redis: RedisServer;
  let receiver: WebhookReceiver | undefined;
  const clients: TestClient[] = [];

  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.terminate();
    await receiver?.close();
    receiver = undefined;
    await redis.stop();
  });

  const node = (id: string, env: Record<string, string> = {}) =>
    startServerProcess({ REDIS_URL: redis.url, NODE_ID: id, NODE_TTL_MS: String(NODE_TTL_MS), TRUST_PROXY: 'true', MAX_CONNECTIONS_PER_USER: '100', ...env });
  const withWebhooks = async () => {
    receiver = await startWebhookReceiver();
    return { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET, WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_MS: '200' };
  };
  const user = async (server: ServerProcess, sub: string, claims: Record<string, unknown> = {}) => {
    const c = await connect(server.wsUrl, { token: await mintToken({ sub, ...claims }) });
    clients.push(c);
    return c;
  };
  const sessionId = (c: TestClient) => c.frames[0].data.sessionId as string;
  const api = (server: ServerProcess | number) => adminClient(`http://127.0.0.1:${typeof server === 'number' ? server : server.port}`);
  const json = async <T>(response: Promise<Response>, status = 200): Promise<T> => {
    const r = await response;
    expect(r.status).toBe(status);
    return (await r.json()) as T;
  };
  /** Every page of GET /admin/connections with `query`, `limit` at a time. */
  const allPages = async (admin: ReturnType<typeof adminClient>, query: string, limit: number) => {
    const items: ConnectionItem[] = [];
    let cursor: string | null = '';
    for (let pages = 0; cursor !== null; pages++) {
      if (pages > 50) throw new Error('the cursor does not end');
      const page: { items: ConnectionItem[]; nextCursor: string | null } = await json(admin(`/admin/connections?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      cursor = page.nextCursor;
    }
    return items;
  };

  it('lists, pages, inspects and counts the sessions of every node from any node behind nginx', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const nginx = await startNginx([a.port, b.port]);
    try {
      // alice on both nodes; bob and carol on a; dave on b. Rooms: lobby (a and b), side (b only).
      const aliceA = await user(a, 'alice');
      const bob = await user(a, 'bob');
      const carol = await user(a, 'carol');
      const aliceB = await user(b, 'alice');
      const dave = await user(b, 'dave');
      await aliceA.request('room.join', { room: 'public:lobby' });
      await aliceB.request('room.join', { room: 'public:lobby' });
      await dave.request('room.join', { room: 'public:side' });
      await dave.request('room.publish', { room: 'public:side', body: 'hi' });
      const everyone = [aliceA, bob, carol, aliceB, dave];

      for (const port of [a.port, b.port, nginx.port]) {
        const admin = api(port);
        // Cluster-wide connection order, whichever node answers; pages never overlap or skip.
        const listed = await eventually(async () => {
          const items = await allPages(admin, '', 2);
          expect(items.map((i) => i.id)).toEqual(everyone.map(sessionId));
          return items;
        });
        expect(listed.map((i) => i.node)).toEqual(['a', 'a', 'a', 'b', 'b']);
        expect(listed.find((i) => i.id === sessionId(dave))).toMatchObject({ userId: 'dave', rooms: ['public:side'], remoteAddress: expect.stringContaining('127.0.0.1') });
        expect((await allPages(admin, '&user=alice', 1)).map((i) => i.id)).toEqual([sessionId(aliceA), sessionId(aliceB)]);
        expect((await allPages(admin, '&room=public:lobby', 1)).map((i) => i.node)).toEqual(['a', 'b']);
        expect((await allPages(admin, '&node=b', 10)).map((i) => i.userId)).toEqual(['alice', 'dave']);
        expect(await allPages(admin, '&node=b&user=bob', 10)).toEqual([]);
        expect(await allPages(admin, '&room=public:side&user=alice', 10)).toEqual([]);
        expect(await json(admin(`/admin/connections/${sessionId(bob)}`))).toMatchObject({ id: sessionId(bob), userId: 'bob', node: 'a', rooms: [] });
        expect(await json(admin(`/admin/connections/${sessionId(aliceB)}`))).toMatchObject({ userId: 'alice', node: 'b', rooms: ['public:lobby'] });
        const rooms = await json<{ items: { room: string; members: number }[] }>(admin('/admin/rooms'));
        expect(rooms.items).toEqual([
          { room: 'public:lobby', members: 2 },
          { room: 'public:side', members: 1 },
        ]);
      }

      // Stats: distinct counts over the cluster, traffic summed, one entry per live node.
      const stats = await eventually(async () => {
        const s = await json<{ total: Record<string, number>; nodes: Record<string, number | string>[] }>(api(nginx.port)('/admin/stats'));
        expect(s.nodes.map((n) => [n.node, n.connections])).toEqual([
          ['a', 3],
          ['b', 2],
        ]);
        expect(s.nodes.map((n) => n.messagesIn)).toEqual([1, 3]); // the joins and the publish, as each node reported them
        return s;
      });
      expect(stats.total).toMatchObject({ connections: 5, users: 4, rooms: 2, messagesIn: 4 });
      expect(stats.total.bytesIn).toBe(Number(stats.nodes[0].bytesIn) + Number(stats.nodes[1].bytesIn));

      // Closing every session of a user reaches both nodes.
      expect(await json(api(b)('/admin/users/alice/connections', { method: 'DELETE' }))).toEqual({ closed: 2 });
      expect((await aliceA.closed).code).toBe(4503);
      expect((await aliceB.closed).code).toBe(4503);
      await eventually(async () => expect((await json<{ total: { connections: number; users: number } }>(api(a)('/admin/stats'))).total).toMatchObject({ connections: 3, users: 3 }));
      expect((await json<{ items: { room: string }[] }>(api(a)('/admin/rooms'))).items.map((r) => r.room)).toEqual(['public:side']);

      // A member removed from a room on the other node.
      expect(await json(api(a)('/admin/rooms/public:side/members/dave', { method: 'DELETE' }))).toEqual({ removed: 1 });
      await eventually(async () => expect((await json<{ items: unknown[] }>(api(a)('/admin/rooms'))).items).toEqual([]));
      expect((await api(a)('/admin/rooms/public:side/members/dave', { method: 'DELETE' })).status).toBe(404);
      expect((await api(a)('/admin/connections/no-such-session')).status).toBe(404);

      // A node killed with -9 leaves the stats and the list once reaped.
      b.child.kill('SIGKILL');
      await eventually(async () => {
        const s = await json<{ total: { connections: number }; nodes: { node: string }[] }>(api(a)('/admin/stats'));
        expect(s.nodes.map((n) => n.node)).toEqual(['a']);
        expect(s.total.connections).toBe(2);
      }, 4 * NODE_TTL_MS);
      expect((await allPages(api(a), '', 10)).map((i) => i.userId)).toEqual(['bob', 'carol']);
    } finally {
      await nginx.stop();
    }
  }, 60000);

  // Members of active rooms, and users who had direct messages, are closed with 4012 at the epoch
  // change and come back by reconnecting; a user whose stream was empty stays.
  it('lists its sessions again after Redis lost them (restart without persistence), closing with 4012 only those with messages to recover', async () => {
    const a = await node('a');
    const alice = await user(a, 'alice');
    const bob = await user(a, 'bob');
    expect((await alice.request('direct.send', { to: 'bob', body: 'before the loss' })).type).toBe('ack');
    await bob.nextOfType('direct');
    await redis.restart();
    expect(await bob.closed).toEqual({ code: 4012, reason: 'missed messages: reconnect to recover' });
    const items = await eventually(async () => {
      const page = await json<{ items: ConnectionItem[] }>(api(a)('/admin/connections'));
      expect(page.items).toHaveLength(1);
      return page.items;
    });
    expect(items[0]).toMatchObject({ id: sessionId(alice), node: 'a' });
    // Log lines are written in batches (up to 50 ms late: src/logging/buffered-log-stream.ts).
    await waitFor(() => a.output().includes('re-registering its sessions'), 2000);
  }, 30000);

  it('sends connection.closed exactly once for each session of a node killed with -9, from one survivor', async () => {
    const env = await withWebhooks();
    const [a, b, c] = await Promise.all([node('a', env), node('b', env), node('c', env)]);
    const doomed = [await user(c, 'alice'), await user(c, 'bob'), await user(c, 'bob')];
    await doomed[0].request('room.join', { room: 'public:doomed' });
    const survivor = await user(a, 'carol');
    await eventually(async () => expect(receiver!.events().filter((e) => e.type === 'connection.opened')).toHaveLength(4));
    const killedAt = Date.now();
    c.child.kill('SIGKILL');
    const closedOf = () => receiver!.deliveries.filter((d) => d.event.type === 'connection.closed');
    await eventually(async () => expect(closedOf()).toHaveLength(3), 5 * NODE_TTL_MS);
    await sleep(3 * NODE_TTL_MS); // both survivors reap on every tick: nothing more may come
    const closed = closedOf();
    expect(closed).toHaveLength(3); // every POST, retries included: exactly one event per session
    expect(closed.map((d) => d.event.data.sessionId).sort()).toEqual(doomed.map(sessionId).sort());
    for (const d of closed) {
      expect(signatureIsValid(WEBHOOK_SECRET, d)).toBe(true);
      expect(d.event).toMatchObject({ node: 'c', data: { code: 1006, reason: expect.stringContaining('node c stopped refreshing its liveness') } });
      expect(d.receivedAt - killedAt).toBeLessThan(NODE_TTL_MS + NODE_TTL_MS / 3 + 2000);
    }
    // One survivor won each reap: the reason names it.
    const reapers = new Set(closed.map((d) => /reaped by (\w+)/.exec(d.event.data.reason)![1]));
    expect(reapers.size).toBe(1);
    expect(['a', 'b']).toContain([...reapers][0]);
    // The room it was in is left too, once, before its close.
    const left = receiver!.deliveries.filter((d) => d.event.type === 'room.left');
    expect(left.map((d) => d.event.data)).toEqual([{ sessionId: sessionId(doomed[0]), userId: 'alice', room: 'public:doomed' }]);
    expect(left[0].event.node).toBe('c');
    // The survivors' own sessions are untouched.
    expect(closed.some((d) => d.event.data.sessionId === sessionId(survivor))).toBe(false);
    void b;
  }, 40000);

  it('reports the sessions a previous process with the same NODE_ID left when it restarts before being reaped', async () => {
    const env = await withWebhooks();
    const first = await node('solo', env);
    const orphan = await user(first, 'alice');
    await eventually(async () => expect(receiver!.events().map((e) => e.type)).toEqual(['connection.opened']));
    first.child.kill('SIGKILL');
    await first.exited;
    await node('solo', env); // at once: well within NODE_TTL_MS, nobody else reaps it
    await eventually(async () => expect(receiver!.events().map((e) => e.type)).toEqual(['connection.opened', 'connection.closed']));
    expect(receiver!.events()[1]).toMatchObject({ node: 'solo', data: { sessionId: sessionId(orphan), code: 1006 } });
  }, 30000);

  it('applies a revocation made on one node on every node: sessions closed with 4503, upgrades refused, until `until`', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const onB = await user(b, 'mallory');
    const leakedOnA = await user(a, 'bob', { jti: 'leaked-1' });
    const fine = await user(b, 'bob', { jti: 'fine-1' });
    const untilMs = Date.now() + 60_000;
    const until = new Date(untilMs).toISOString();
    const revoked = await json<{ closed: number }>(api(a)('/admin/revocations', { method: 'POST', json: { userId: 'mallory', until } }), 201);
    expect(revoked.closed).toBe(1);
    expect(await onB.closed).toEqual({ code: 4503, reason: 'kicked by an administrator' });
    const token = await mintToken({ sub: 'mallory' });
    for (const server of [a, b]) expect(await tryUpgrade(server.wsUrl, { authorization: `Bearer ${token}` })).toEqual({ status: 401, body: 'token revoked' });

    // By token id, from the other node, for a session on the first one.
    expect((await json<{ closed: number }>(api(b)('/admin/revocations', { method: 'POST', json: { jti: 'leaked-1', until } }), 201)).closed).toBe(1);
    expect((await leakedOnA.closed).code).toBe(4503);
    await fine.request('ping'); // bob's other token is not revoked
    expect(fine.socket.readyState).toBe(fine.socket.OPEN);

    // Both nodes list both; a node that starts later loads them from Redis.
    const c = await node('c');
    for (const server of [a, b, c]) {
      const list = await json<{ userId?: string; jti?: string; until: string }[]>(api(server)('/admin/revocations'));
      expect(list).toEqual(expect.arrayContaining([{ userId: 'mallory', until }, { jti: 'leaked-1', until }]));
    }
    expect(await tryUpgrade(c.wsUrl, { authorization: `Bearer ${token}` })).toEqual({ status: 401, body: 'token revoked' });
    // Kept in Redis exactly as long as the revocation lasts.
    const direct = new Redis(redis.url);
    try {
      expect(Number(await direct.call('PEXPIRETIME', 'rg:rev:users'))).toBe(untilMs);
      expect(Number(await direct.zscore('rg:rev:jti', 'leaked-1'))).toBe(untilMs);
    } finally {
      direct.disconnect();
    }
  }, 40000);

  it('lets a short revocation end on every node', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const until = new Date(Date.now() + 1500).toISOString();
    await json(api(a)('/admin/revocations', { method: 'POST', json: { userId: 'brief', until } }), 201);
    const token = await mintToken({ sub: 'brief' });
    expect((await tryUpgrade(b.wsUrl, { authorization: `Bearer ${token}` })).status).toBe(401);
    await sleep(2000);
    for (const server of [a, b]) expect((await tryUpgrade(server.wsUrl, { authorization: `Bearer ${token}` })).status).toBe(101);
    expect(await json(api(b)('/admin/revocations'))).toEqual([]);
  }, 30000);
});
