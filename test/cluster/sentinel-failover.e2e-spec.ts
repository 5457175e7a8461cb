import { RealtimeClient } from '../../sdk/src';
import { RedisHistoryStore } from '../../src/history/history-store.redis';
import { RedisClients } from '../../src/redis/redis-clients';
import { startRedis } from '../support/redis-server';
import { SentinelSetup, startSentinels } from '../support/redis-sentinel';
import { CLUSTER_NODE_ENV, ServerProcess, startServerProcess } from '../support/server-process';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, HeaderTokenWebSocket, TestClient } from '../support/ws-client';

const ROOM = 'public:failover';
const DOWN_AFTER_MS = 1000;
const FAILOVER_TIMEOUT_MS = 3000;
/** After the sentinels switch the primary, a node's next reconnect finds it: at most ioredis' 2 s retry cap later, plus slack for a loaded machine. */
const RESUME_BOUND_MS = 4000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 14: REDIS_SENTINELS. A primary, a replica, three sentinels and two gateway nodes; the
 * primary is killed (-9) while a publisher publishes with acks. No client may be left with a
 * silent gap: each receives every acked message once and in order, or is told recovered: false.
 */
describe('Redis Sentinel: kill -9 of the primary under a publish loop', () => {
  let ha: SentinelSetup;
  const servers: ServerProcess[] = [];
  const sdkClients: RealtimeClient[] = [];
  const rawClients: TestClient[] = [];

  beforeAll(async () => {
    ha = await startSentinels({ downAfterMs: DOWN_AFTER_MS, failoverTimeoutMs: FAILOVER_TIMEOUT_MS });
  }, 20000);
  afterAll(async () => {
    for (const c of sdkClients) c.close();
    for (const c of rawClients) c.socket.terminate();
    for (const s of servers) s.child.kill('SIGKILL');
    await ha?.stop();
  });

  const node = async (id: string) => {
    const server = await startServerProcess({
      REDIS_SENTINELS: ha.sentinels,
      REDIS_SENTINEL_NAME: ha.name,
      NODE_ID: id,
      ...CLUSTER_NODE_ENV,
    });
    servers.push(server);
    return server;
  };
  const sdk = async (server: ServerProcess, sub: string) => {
    const client = new RealtimeClient({ url: server.wsUrl, token: await mintToken({ sub }), WebSocket: HeaderTokenWebSocket as never, backoff: { minMs: 100, maxMs: 1000 } });
    sdkClients.push(client);
    await client.connect();
    return client;
  };

  it('answers UNAVAILABLE during the failover, resumes on the promoted replica by itself, and leaves no client with a silent gap', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const subscribers = await Promise.all([a, b, a, b, a, b].map((server, i) => sdk(server, `sub${i}`)));
    const received = subscribers.map(() => [] as number[]);
    const recoveries = subscribers.map(() => [] as boolean[]);
    subscribers.forEach((s, i) => s.on('recovery', (e) => recoveries[i].push(e.recovered)));
    await Promise.all(subscribers.map((s, i) => s.join(ROOM, (m) => received[i].push(m.body as number))));
    const publisher = await connect(a.wsUrl, { token: await mintToken({ sub: 'publisher' }) });
    rawClients.push(publisher);
    const primaryPort = await ha.primaryPort();
    expect(primaryPort).toBe(ha.primary.port);

    // The publish loop: one request at a time; each must be answered (ack or UNAVAILABLE) within 3 s.
    const acked: number[] = [];
    const errors: string[] = [];
    let killedAt = 0;
    let firstUnavailableAt = 0;
    let resumedAt = 0;
    let slowest = 0;
    let stop = false;
    const loop = (async () => {
      for (let body = 0; !stop && body < 100_000; body++) {
        const sentAt = Date.now();
        const reply = await publisher.request('room.publish', { room: ROOM, body });
        slowest = Math.max(slowest, Date.now() - sentAt);
        if (reply.type === 'ack') {
          acked.push(body);
          if (killedAt && firstUnavailableAt && !resumedAt) resumedAt = Date.now();
        } else {
          errors.push(reply.data.code as string);
          if (killedAt && !firstUnavailableAt) firstUnavailableAt = Date.now();
          await sleep(20);
        }
        await sleep(2);
      }
    })();

    await sleep(1500);
    const switched = ha.nextSwitch();
    killedAt = Date.now();
    await ha.primary.kill();
    const switchedAt = await switched;
    await waitFor(() => resumedAt > 0, RESUME_BOUND_MS + 2000, 50);
    const ackedBeforeResume = acked.length;
    await waitFor(() => acked.length >= ackedBeforeResume + 50, 10000, 50);
    stop = true;
    await loop;
    const last = acked[acked.length - 1];

    // Every client ends up live again: it receives the last acked message (after a reconnect, if it was made to).
    await waitFor(() => received.every((r) => r.includes(last)), 15000, 50).catch((err: Error) => {
      throw new Error(`${err.message}: last acked ${last}; received ${received.map((r) => `${r.length} (last ${r[r.length - 1]})`)}; recoveries ${JSON.stringify(recoveries)}`);
    });
    const timings = {
      failoverMs: switchedAt - killedAt,
      firstUnavailableMs: firstUnavailableAt - killedAt,
      resumedAfterKillMs: resumedAt - killedAt,
      resumedAfterSwitchMs: resumedAt - switchedAt,
      slowestReplyMs: slowest,
      acked: acked.length,
      unavailable: errors.length,
      recoveries,
    };
    console.log(`sentinel failover: ${JSON.stringify(timings)}`);

    expect(await ha.primaryPort()).toBe(ha.replica.port);
    expect(new Set(errors)).toEqual(new Set(['UNAVAILABLE']));
    expect(firstUnavailableAt).toBeGreaterThan(0);
    expect(switchedAt - killedAt).toBeLessThan(DOWN_AFTER_MS + FAILOVER_TIMEOUT_MS);
    expect(resumedAt - switchedAt).toBeLessThan(RESUME_BOUND_MS);
    expect(slowest).toBeLessThan(3000);
    for (const [i, r] of received.entries()) {
      // Never a duplicate or a message out of order...
      expect(r.every((body, k) => k === 0 || body > r[k - 1])).toBe(true);
      // ...and either every acked message, or the client was told it could not recover.
      const missing = acked.filter((body) => !r.includes(body));
      if (missing.length > 0) expect({ client: i, missing: missing.length, toldNotRecovered: recoveries[i].includes(false) }).toEqual({ client: i, missing: missing.length, toldNotRecovered: true });
    }
    for (const s of servers) expect(s.child.exitCode).toBeNull();
  }, 90000);

  it('gives a stream a new epoch on a promoted replica that lacks its newest entries, so those offsets are never reused silently', async () => {
    // A failover that loses writes, made deterministic: the replica is promoted by hand, then the
    // old primary acks two more appends that the new primary never gets.
    const primary = await startRedis(['--repl-diskless-sync-delay', '0']);
    const replica = await startRedis(['--replicaof', '127.0.0.1', String(primary.port)]);
    const open: RedisClients[] = [];
    // The store checks the primary only in sentinel mode (no failover can happen on REDIS_URL).
    const store = async (url: string, mode: 'sentinel' | 'single' = 'sentinel') => {
      const clients = new RedisClients(url);
      open.push(clients);
      await clients.whenReady(2000);
      return new RedisHistoryStore({ mode, command: clients.command, subscriber: clients.subscriber } as RedisClients, { sizePerRoom: 100, ttlMs: 60000 });
    };
    const message = (body: string) => ({ room: ROOM, messageId: body, from: 'u', body, ts: Date.now() });
    try {
      const old = await store(primary.url);
      await old.append(ROOM, message('m1'));
      const { data: replicated } = await old.append(ROOM, message('m2'));
      expect(await open[0].command.call('WAIT', '1', '5000')).toBe(1);
      const promotedClients = new RedisClients(replica.url);
      open.push(promotedClients);
      await promotedClients.whenReady(2000);
      await promotedClients.command.call('REPLICAOF', 'NO', 'ONE');
      const { data: lost } = await old.append(ROOM, message('m3'));
      expect([lost.offset, lost.epoch]).toEqual([3, replicated.epoch]); // acked by the old primary, never replicated

      // Why the check: without it (REDIS_URL mode) the promoted replica carries on in the old epoch,
      // so a client that saw m2 but not m3 would be told it recovered, with nothing to replay.
      expect(await (await store(replica.url, 'single')).since(ROOM, { offset: 2, epoch: replicated.epoch })).toEqual([]);

      const promoted = await store(replica.url);
      // A client that saw m3 (offset 3), or only m2, cannot recover: the stream has a new epoch.
      expect(await promoted.since(ROOM, { offset: 3, epoch: lost.epoch })).toBeNull();
      expect(await promoted.since(ROOM, { offset: 2, epoch: replicated.epoch })).toBeNull();
      const position = await promoted.position(ROOM);
      expect(position.offset).toBe(2);
      expect(position.epoch).not.toBe(replicated.epoch);
      const { data: next } = await promoted.append(ROOM, message('m3 again'));
      expect([next.offset, next.epoch]).toEqual([3, position.epoch]);
      expect(await promoted.since(ROOM, { offset: 2, epoch: position.epoch })).toHaveLength(1);
    } finally {
      for (const clients of open) await clients.close();
      await Promise.all([primary.stop(), replica.stop()]);
    }
  }, 20000);
});
