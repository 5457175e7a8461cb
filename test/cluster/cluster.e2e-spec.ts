import { RealtimeClient } from '../../sdk/src';
import { metric, scrape } from '../support/metrics';
import { startNginx } from '../support/nginx';
import { RedisServer, startRedis } from '../support/redis-server';
import { CLUSTER_NODE_ENV, killServerProcessesAfterEach, ServerProcess, startServerProcess } from '../support/server-process';
import { TEST_ADMIN_TOKEN } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, Frame, HeaderTokenWebSocket, TestClient, tryUpgrade } from '../support/ws-client';

const ROOM = 'public:cluster';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two real nodes (node dist/main.js) on a real redis-server, some behind the repo's nginx.conf. */
describe('cluster mode: two nodes on Redis act as one service', () => {
  killServerProcessesAfterEach();
  let redis: RedisServer;
  const clients: TestClient[] = [];
  const sdkClients: RealtimeClient[] = [];

  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.terminate();
    for (const c of sdkClients.splice(0)) c.close();
    await redis.stop();
  });

  const node = (id: string, env: Record<string, string> = {}) =>
    startServerProcess({
      REDIS_URL: redis.url,
      NODE_ID: id,
      ...CLUSTER_NODE_ENV,
      TRUST_PROXY: 'true',
      ...env,
    });
  const user = async (server: ServerProcess, sub: string) => {
    const c = await connect(server.wsUrl, { token: await mintToken({ sub }) });
    clients.push(c);
    return c;
  };
  const sdk = async (url: string, sub: string) => {
    const token = await mintToken({ sub });
    const client = new RealtimeClient({ url, token, WebSocket: HeaderTokenWebSocket as never, backoff: { minMs: 100, maxMs: 1000 } });
    sdkClients.push(client);
    await client.connect();
    return client;
  };
  const offsetsOf = (c: TestClient) => c.frames.filter((f: Frame) => f.type === 'message' && f.data.room === ROOM).map((f) => f.data.offset as number);

  it('lets users on different nodes chat, see each other present and exchange direct messages', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const alice = await user(a, 'alice');
    const bob = await user(b, 'bob');
    await alice.request('room.join', { room: ROOM });
    await bob.request('room.join', { room: ROOM });
    expect((await alice.next((f) => f.type === 'presence.join')).data).toMatchObject({ userId: 'bob' });
    const members = (await bob.request('presence.get', { room: ROOM })).data.members.map((m: { userId: string }) => m.userId).sort();
    expect(members).toEqual(['alice', 'bob']);
    const ack = await alice.request('room.publish', { room: ROOM, body: 'hello across nodes' });
    expect((await bob.next((f) => f.type === 'message')).data).toMatchObject({ from: 'alice', body: 'hello across nodes', offset: ack.data.offset });
    await alice.next((f) => f.type === 'message');
    await sleep(100);
    expect(alice.frames.filter((f) => f.type === 'message')).toHaveLength(1); // its own node delivers it once
    const direct = await bob.request('direct.send', { to: 'alice', body: 'psst' });
    expect(direct.data.delivered).toBe(1);
    expect((await alice.nextOfType('direct')).data).toMatchObject({ from: 'bob', body: 'psst' });
  }, 30000);

  it('counts a room cluster-wide for PRESENCE_EVENTS_MAX_MEMBERS: the third member of a 2-limit room is not announced', async () => {
    const [a, b] = await Promise.all([node('a', { PRESENCE_EVENTS_MAX_MEMBERS: '2' }), node('b', { PRESENCE_EVENTS_MAX_MEMBERS: '2' })]);
    const alice = await user(a, 'alice');
    const bob = await user(b, 'bob');
    const carol = await user(a, 'carol'); // on alice's node: that node alone holds 2 members of the room
    for (const c of [alice, bob, carol]) await c.request('room.join', { room: ROOM });
    await carol.request('room.leave', { room: ROOM });
    await bob.request('room.leave', { room: ROOM });
    await alice.next((f) => f.type === 'presence.leave' && f.data.userId === 'bob');
    expect(alice.frames.filter((f) => f.type.startsWith('presence.')).map((f) => `${f.type} ${f.data.userId}`)).toEqual(['presence.join bob', 'presence.leave bob']);
  }, 30000);

  it('gives every node the same order for 10,000 messages published on both', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const [subA, subB, pubA, pubB] = await Promise.all([user(a, 's1'), user(b, 's2'), user(a, 'p1'), user(b, 'p2')]);
    await subA.request('room.join', { room: ROOM });
    await subB.request('room.join', { room: ROOM });
    for (let i = 0; i < 5000; i++) {
      pubA.sendRaw(JSON.stringify({ type: 'room.publish', data: { room: ROOM, body: `a${i}` } }));
      pubB.sendRaw(JSON.stringify({ type: 'room.publish', data: { room: ROOM, body: `b${i}` } }));
    }
    await waitFor(() => offsetsOf(subA).length === 10000 && offsetsOf(subB).length === 10000, 100000, 100);
    const expected = Array.from({ length: 10000 }, (_, i) => i + 1);
    expect(offsetsOf(subA)).toEqual(expected);
    expect(offsetsOf(subB)).toEqual(expected);
    const bodies = (c: TestClient) => c.frames.filter((f) => f.type === 'message').map((f) => f.data.body);
    expect(bodies(subA)).toEqual(bodies(subB));
  }, 130000);

  it('accepts, behind nginx on a non-default port, a page of its own: Origin http://127.0.0.1:<nginx port> is the own host', async () => {
    const a = await node('a');
    const nginx = await startNginx([a.port]);
    try {
      const page = `http://127.0.0.1:${nginx.port}`;
      const client = await connect(`ws://127.0.0.1:${nginx.port}/ws`, { token: await mintToken({ sub: 'paula' }), origin: page });
      clients.push(client);
      expect(client.frames[0].data).toMatchObject({ userId: 'paula' });
      expect(await tryUpgrade(`ws://127.0.0.1:${nginx.port}/ws`, { authorization: `Bearer ${await mintToken()}`, origin: 'http://127.0.0.1:1' })).toEqual({ status: 403, body: 'origin not allowed' });
    } finally {
      await nginx.stop();
    }
  }, 30000);

  it('survives kill -9 of a node behind nginx: its clients recover on the survivor with no gap or duplicate', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const nginx = await startNginx([a.port, b.port]);
    try {
      const url = `ws://127.0.0.1:${nginx.port}/ws`;
      const subscribers = await Promise.all(Array.from({ length: 6 }, (_, i) => sdk(url, `sub${i}`)));
      const received = subscribers.map(() => [] as number[]);
      const recoveries: string[] = [];
      subscribers.forEach((s, i) => s.on('recovery', (e) => recoveries.push(`${i}:${e.recovered}@${e.offset}`)));
      await Promise.all(subscribers.map((s, i) => s.join(ROOM, (m) => received[i].push(m.body as number))));
      const watcher = await user(b, 'watcher');
      await watcher.request('room.join', { room: ROOM });
      const publisher = await user(b, 'publisher');
      let sent = 0;
      const timer = setInterval(() => publisher.sendRaw(JSON.stringify({ type: 'room.publish', data: { room: ROOM, body: sent++ } })), 10);
      await sleep(700);
      a.child.kill('SIGKILL');
      await sleep(2500);
      clearInterval(timer);
      await waitFor(() => received.every((r) => r.length >= sent), 30000, 50).catch((err: Error) => {
        const errors = publisher.frames.filter((f) => f.type === 'error').map((f) => f.data.code);
        const oddities = received.map((r, i) => `${i}: missing ${Array.from({ length: sent }, (_, n) => n).filter((n) => !r.includes(n))} duplicated ${r.filter((n, k) => r.indexOf(n) !== k)}`);
        throw new Error(`${err.message}: sent ${sent}, received ${received.map((r) => r.length)}, recoveries ${recoveries}; ${oddities.join('; ')}; publisher errors ${errors}`);
      });
      for (const r of received) expect(r).toEqual(Array.from({ length: sent }, (_, i) => i));
      // The dead node's sessions leave presence within NODE_TTL_MS plus a refresh period.
      await waitFor(() => watcher.frames.some((f) => f.type === 'presence.leave'), 5000);
      const members = (await watcher.request('presence.get', { room: ROOM })).data.members;
      expect(members.length).toBe(7); // 6 reconnected subscribers + watcher, none of node a's old sessions
      // The kill made nginx log upstream errors with the request line: no token may be in it.
      expect(nginx.errorLog()).toMatch(/upstream/);
      expect(nginx.errorLog() + nginx.accessLog()).not.toMatch(/token=/);
    } finally {
      await nginx.stop();
    }
  }, 60000);

  it('keeps running through a Redis restart: publishes fail cleanly, then clients learn recovered: false', async () => {
    const a = await node('a');
    const alice = await sdk(a.wsUrl, 'alice');
    const recoveries: boolean[] = [];
    alice.on('recovery', (e) => recoveries.push(e.recovered));
    await alice.join(ROOM, () => undefined);
    await alice.publish(ROOM, 'before');
    await redis.kill();
    await expect(alice.publish(ROOM, 'during')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await redis.restart();
    const bob = await user(a, 'bob');
    let ack: Frame | undefined;
    for (let i = 0; i < 100 && !ack; i++) {
      const reply = await bob.request('room.publish', { room: ROOM, body: 'after' });
      if (reply.type === 'ack') ack = reply;
      else await sleep(100);
    }
    expect(ack?.data.offset).toBe(1); // a new stream: Redis lost the old one
    // alice's node sees the epoch change and makes her reconnect; she is told she could not recover.
    await waitFor(() => recoveries.length > 0, 10000);
    expect(recoveries).toEqual([false]);
    expect(a.child.exitCode).toBeNull();
  }, 40000);

  it('kicks, from either node, a session that lives on the other, and broadcasts to both', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const alice = await user(a, 'alice');
    const bob = await user(b, 'bob');
    const admin = (server: ServerProcess, path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${server.port}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' } });
    const broadcast = await admin(a, '/admin/broadcast', { method: 'POST', body: JSON.stringify({ body: 'to everyone' }) });
    expect(((await broadcast.json()) as { delivered: number }).delivered).toBe(2);
    for (const c of [alice, bob]) expect((await c.nextOfType('broadcast')).data).toMatchObject({ from: 'system', body: 'to everyone' });
    const response = await admin(a, `/admin/connections/${bob.frames[0].data.sessionId}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect((await bob.closed).code).toBe(4503);
    expect((await admin(b, '/admin/connections/no-such-session', { method: 'DELETE' })).status).toBe(404);
  }, 30000);

  it('counts MAX_CONNECTIONS_PER_USER across nodes', async () => {
    const [a, b] = await Promise.all([node('a', { MAX_CONNECTIONS_PER_USER: '2' }), node('b', { MAX_CONNECTIONS_PER_USER: '2' })]);
    const token = await mintToken({ sub: 'limited' });
    await user(a, 'limited');
    await user(b, 'limited');
    await sleep(100); // the presence store records sessions right after the welcome
    expect(await tryUpgrade(a.wsUrl, { authorization: `Bearer ${token}` })).toEqual({ status: 429, body: 'too many connections for this user' });
    expect((await tryUpgrade(b.wsUrl, { authorization: `Bearer ${token}` })).status).toBe(429);
  }, 30000);

  it('redeems an upgrade ticket on another node than the one that issued it, once; 503 while Redis is down', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const token = await mintToken({ sub: 'tina' });
    const issue = (server: ServerProcess) => fetch(`http://127.0.0.1:${server.port}/auth/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const { ticket } = (await (await issue(a)).json()) as { ticket: string };
    const client = await connect(`${b.wsUrl}?ticket=${ticket}`);
    clients.push(client);
    expect(client.frames[0].data).toMatchObject({ userId: 'tina' });
    expect(await tryUpgrade(`${a.wsUrl}?ticket=${ticket}`)).toEqual({ status: 401, body: 'ticket invalid' });
    // 32 unredeemed tickets per user, cluster-wide (the one above was redeemed: 32 more here, then 429)
    const statuses = [];
    for (let i = 0; i < 33; i++) statuses.push((await issue(i % 2 ? a : b)).status);
    expect(statuses).toEqual([...Array(32).fill(200), 429]);
    const spare = (await (await issue(a)).json()) as { ticket?: string };
    expect(spare.ticket).toBeUndefined();
    await redis.kill();
    expect((await issue(a)).status).toBe(503);
    expect(await tryUpgrade(`${b.wsUrl}?ticket=${ticket}`)).toEqual({ status: 503, body: 'ticket store unavailable' });
  }, 30000);

  it('stays ready while Redis is down (every node would leave the load balancer at once); /health, realtime_redis_up and the admin API (503) report it', async () => {
    const a = await node('a');
    const get = (path: string) => fetch(`http://127.0.0.1:${a.port}${path}`);
    const redisUp = async () => metric(await scrape(`http://127.0.0.1:${a.port}/metrics`), 'realtime_redis_up');
    expect((await get('/health/ready')).status).toBe(200);
    expect(await redisUp()).toBe(1);
    await redis.kill();
    let detail = await get('/health');
    for (let i = 0; i < 50 && detail.status === 200; i++) detail = (await sleep(100), await get('/health'));
    expect(detail.status).toBe(503);
    expect((await detail.json()).error).toEqual({ redis: { status: 'down', message: 'Redis unreachable' } });
    expect(await redisUp()).toBe(0);
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect((await ready.json()).details).toEqual({ shutdown: { status: 'up' } });
    // The admin API says so too (a broadcast answered 500 before it went through storeCall).
    const broadcast = await fetch(`http://127.0.0.1:${a.port}/admin/broadcast`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'hello' }),
    });
    expect([broadcast.status, (await broadcast.json()).message]).toEqual([503, 'the cluster directory is unavailable; retry later']);
    await redis.restart();
    for (let i = 0; i < 50 && (await get('/health')).status !== 200; i++) await sleep(100);
    expect((await (await get('/health')).json()).details).toEqual({ shutdown: { status: 'up' }, redis: { status: 'up' } });
    expect(await redisUp()).toBe(1);
  }, 30000);

  it('detects the gap when Redis drops a slow subscriber node, and its clients recover', async () => {
    redis = await (async () => {
      await redis.stop();
      return startRedis(['--client-output-buffer-limit', 'pubsub 32kb 16kb 1']);
    })();
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const follower = await sdk(a.wsUrl, 'follower');
    const got: number[] = [];
    await follower.join(ROOM, (m) => got.push(m.body as number));
    // Node a receives only rooms it has a member in (interest): the filler needs one there.
    await (await user(a, 'filler')).request('room.join', { room: 'public:filler' });
    const publisher = await user(b, 'publisher');
    a.child.kill('SIGSTOP'); // node a stops reading its subscription
    // Enough traffic to fill the kernel buffers and pass the pubsub output-buffer limit: Redis cuts node a off...
    const body = 'x'.repeat(4000);
    for (let i = 0; i < 2000; i++) publisher.sendRaw(JSON.stringify({ type: 'room.publish', data: { room: 'public:filler', body } }));
    await publisher.request('ping');
    await sleep(1000);
    // ...so these are lost for it: only the offsets can tell.
    for (let i = 0; i < 200; i++) publisher.sendRaw(JSON.stringify({ type: 'room.publish', data: { room: ROOM, body: i } }));
    await publisher.request('ping');
    await sleep(500);
    a.child.kill('SIGCONT');
    for (let i = 200; i < 210; i++) publisher.sendRaw(JSON.stringify({ type: 'room.publish', data: { room: ROOM, body: i } }));
    await waitFor(() => got.length >= 210, 20000, 50);
    expect(got).toEqual(Array.from({ length: 210 }, (_, i) => i));
    await waitFor(() => a.output().includes('missed messages'), 2000); // log lines are batched, up to 50 ms late
  }, 40000);
});
