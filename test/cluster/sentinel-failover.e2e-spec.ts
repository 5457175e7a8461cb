import { RealtimeClient } from '../../sdk/src';
import { RedisHistoryStore } from '../../src/history/history-store.redis';
import { RedisClients } from '../../src/redis/redis-clients';
import { expectNoSilentGap, joinSubscribers, startPublishLoop } from '../support/failover';
import { startRedis } from '../support/redis-server';
import { SentinelSetup, startSentinels } from '../support/redis-sentinel';
import { CLUSTER_NODE_ENV, ServerProcess, startServerProcess } from '../support/server-process';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, TestClient } from '../support/ws-client';

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

  it('answers UNAVAILABLE during the failover, resumes on the promoted replica by itself, and leaves no client with a silent gap', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const room = await joinSubscribers([a, b, a, b, a, b], ROOM, sdkClients);
    const publisher = await connect(a.wsUrl, { token: await mintToken({ sub: 'publisher' }) });
    rawClients.push(publisher);
    const primaryPort = await ha.primaryPort();
    expect(primaryPort).toBe(ha.primary.port);

    // The publish loop: one request at a time; each must be answered (ack or UNAVAILABLE) within 3 s.
    const loop = startPublishLoop(publisher, ROOM);
    await sleep(1500);
    const switched = ha.nextSwitch();
    loop.killed();
    await ha.primary.kill();
    const switchedAt = await switched;
    await waitFor(() => loop.resumedAt > 0, RESUME_BOUND_MS + 2000, 50);
    const { acked, errors } = loop;
    const ackedBeforeResume = acked.length;
    await waitFor(() => acked.length >= ackedBeforeResume + 50, 10000, 50);
    await loop.stop();
    const timings = {
      failoverMs: switchedAt - loop.killedAt,
      firstUnavailableMs: loop.firstUnavailableAt - loop.killedAt,
      resumedAfterKillMs: loop.resumedAt - loop.killedAt,
      resumedAfterSwitchMs: loop.resumedAt - switchedAt,
      slowestReplyMs: loop.slowestMs,
      acked: acked.length,
      unavailable: errors.length,
      recoveries: room.recoveries,
    };
    console.log(`sentinel failover: ${JSON.stringify(timings)}`);
    await expectNoSilentGap(room, acked);

    expect(await ha.primaryPort()).toBe(ha.replica.port);
    expect(new Set(errors)).toEqual(new Set(['UNAVAILABLE']));
    expect(loop.firstUnavailableAt).toBeGreaterThan(0);
    expect(switchedAt - loop.killedAt).toBeLessThan(DOWN_AFTER_MS + FAILOVER_TIMEOUT_MS);
    expect(loop.resumedAt - switchedAt).toBeLessThan(RESUME_BOUND_MS);
    expect(loop.slowestMs).toBeLessThan(3000);
    for (const s of servers) expect(s.child.exitCode).toBeNull();
  }, 90000);

  it('gives a stream a new epoch on a promoted replica that lacks its newest entries, so those offsets are never reused silently', async () => {
    // A failover that loses writes, made deterministic: the replica is promoted by hand, then the
    // old primary acks two more appends that the new primary never gets.
    const primary = await startRedis(['--repl-diskless-sync-delay', '0']);
    const replica = await startRedis(['--replicaof', '127.0.0.1', String(primary.port)]);
    const open: RedisClients[] = [];
    // The store checks the primary in sentinel and cluster modes, not on REDIS_URL (no failover there).
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
