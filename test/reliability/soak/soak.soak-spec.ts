import { childToken } from '../support/child-tokens';
import { ChildServer, Dump, killChildServersAfterEach, startChildServer } from '../support/child-server';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { killLiveClientsAfterEach, startLiveClients } from '../support/live-clients';
import { CycleTally, runCycle } from '../support/soak-cycles';

/**
 * Soak: LIVE connections stay online with traffic while CYCLES connect/join/send/leave cycles run
 * (clean closes, tickets, terminates, kicks, blackholes), in 3 rounds. After each round, with the
 * churn settled: registry, rooms and presence back to the live set, resources back to the
 * warmed-up baseline +-2, heap after GC within baseline + 5 MiB and not rising round after round.
 * At the end: everything back to 0, every message delivered, no live client closed by the server.
 */
killChildServersAfterEach();
killLiveClientsAfterEach();
const DURATION = Number(process.env.SOAK_DURATION_MS ?? 30 * 60_000);
const CYCLES = Number(process.env.SOAK_CYCLES ?? 50_000);
const LIVE = Number(process.env.SOAK_CONNECTIONS ?? 1000);
// 1,800 heartbeat cycles in 30 min. At 500 ms (3,600 cycles) the 400 ms timeout is below what the
// harness's own clients, on the same 2 vCPUs, need to answer when the host steals 40-55 % of them
// (docs/reliability.md, Soak): SOAK_HEARTBEAT_MS=500 still runs it.
const HEARTBEAT = Number(process.env.SOAK_HEARTBEAT_MS ?? 1000);
const TIMEOUT = Math.round(HEARTBEAT * 0.8);
/**
 * A client whose pong left after the deadline because the harness itself was not running (the
 * last ping it read reached it more than TIMEOUT late: see live-clients.js) was closed rightly.
 * Such closes are counted and reported, not failed, up to this share of the live clients; above
 * it the run measured the host more than the server and is not conclusive.
 */
const MAX_LATE_SHARE = 0.1;
const CONCURRENCY = 32;
const LIVE_ROOMS = 20;
const MiB = 2 ** 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`soak: ${line}\n`);
const resourcesOf = (d: Dump) => Object.values(d.resources).reduce((a, b) => a + b, 0);

/**
 * Lets closes, kick graces (2 s) and heartbeat terminations finish (7 heartbeat intervals), then
 * drops the blackholed sockets the server should have terminated by then, and reads the server.
 */
async function settle(server: ChildServer, tally?: CycleTally) {
  await sleep(2 * HEARTBEAT + 2500);
  const stats = await server.stats();
  for (const client of tally?.blackholed.splice(0) ?? []) client.socket.terminate();
  await sleep(200);
  return { stats, dump: await server.dump() };
}

it('soak', async () => {
  const server = await startChildServer({
    HEARTBEAT_INTERVAL_MS: String(HEARTBEAT),
    HEARTBEAT_TIMEOUT_MS: String(TIMEOUT),
    MAX_CONNECTIONS_PER_USER: '100000',
    // Headroom for cycles in flight and blackholes awaiting their heartbeat; a leak of counts would still trip it.
    MAX_CONNECTIONS_PER_IP: String(LIVE + 300),
    // History is a bounded cache (HISTORY_SIZE per room): kept small so the warm-up fills it and the
    // rounds measure leaks, not a cache still filling up.
    HISTORY_SIZE: '10',
    RATE_LIMIT_PER_SEC: '1000',
    RATE_LIMIT_BURST: '1000',
    RATE_LIMIT_USER_PER_SEC: '1000000',
    RATE_LIMIT_USER_BURST: '1000000',
    // Info for the heartbeat's per-sweep figures; the per-connection info lines are dropped.
    LOG_LEVEL: 'info',
  }, { keepLine: (line) => line.includes('heartbeat sweep') || (line.startsWith('{"level":') && !line.startsWith('{"level":30')) });
  const idle = await settle(server);
  const live = await startLiveClients(server.wsUrl, await childToken('live', 24 * 3600), LIVE, LIVE_ROOMS, TIMEOUT);
  live.send('traffic on');
  const tally: CycleTally = { done: { clean: 0, ticket: 0, terminate: 0, kick: 0, blackhole: 0 }, wrongCloses: [], lateCloses: [], undelivered: 0, blackholed: [] };
  const target = { wsUrl: server.wsUrl, httpUrl: server.httpUrl, token: await childToken('cycler', 24 * 3600), heartbeatTimeoutMs: TIMEOUT };
  const started = Date.now();
  let next = 0;
  const failures: string[] = [];
  /**
   * Runs cycles [next, end), paced to `CYCLES` over `DURATION` from now, CONCURRENCY at a time.
   * Paced from each call, not from the soak's start: the settle pauses between rounds would else
   * be caught up in a burst (about 100 blackholes pinged in one round: a mass silence, seen in a
   * fresh-machine run), not the steady churn the soak means to apply.
   */
  const runUntil = (end: number) => {
    const [first, begun] = [next, Date.now()];
    return Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < end; i = next++) {
          const due = begun + ((i - first) * DURATION) / CYCLES;
          if (due > Date.now()) await sleep(due - Date.now());
          await runCycle(i, target, tally).catch((err: Error) => failures.push(`#${i}: ${err.message}`));
        }
      }),
    ).then(() => void (next = end));
  };

  // Warm-up (2% of the cycles, at least 10 per cycle room), then the baseline the rounds are held to.
  const warmUp = Math.min(CYCLES, Math.max(Math.ceil(CYCLES * 0.02), 600));
  await runUntil(warmUp);
  live.send('traffic off');
  const baseline = await settle(server, tally);
  log(`baseline: heapUsed ${(baseline.dump.memory.heapUsed / MiB).toFixed(1)} MiB, resources ${JSON.stringify(baseline.dump.resources)}, timers ${baseline.dump.timers}, stats ${JSON.stringify(baseline.stats)}`);
  const rounds: { heapUsed: number; resources: number; stats: object }[] = [];
  const problems: string[] = [];
  // This process's own event-loop delay: a pong it answers late is the harness's fault, not the server's.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  for (let round = 1; round <= 3; round++) {
    lag.reset();
    live.send('traffic on');
    await runUntil(Math.ceil(warmUp + ((CYCLES - warmUp) * round) / 3));
    live.send('traffic off');
    const { stats, dump } = await settle(server, tally);
    const liveCloses = await live.closes();
    rounds.push({ heapUsed: dump.memory.heapUsed, resources: resourcesOf(dump), stats });
    log(`round ${round}: ${next} cycles after ${Math.round((Date.now() - started) / 1000)} s, heapUsed ${(dump.memory.heapUsed / MiB).toFixed(1)} MiB (rss ${(dump.memory.rss / MiB).toFixed(0)} MiB), resources ${JSON.stringify(dump.resources)}, timers ${dump.timers}, stats ${JSON.stringify(stats)}, ${JSON.stringify(tally.done)}, wrong closes ${tally.wrongCloses.length}, late closes: live ${liveCloses.late} cycles ${tally.lateCloses.length}, test-process loop delay p99/max ${(lag.percentile(99) / 1e6).toFixed(0)}/${(lag.max / 1e6).toFixed(0)} ms`);
    // Collected, not thrown: one failed round should still let the run report every figure.
    const check = (ok: boolean, what: string) => ok || problems.push(`round ${round}: ${what}`);
    check(stats.connections === LIVE - liveCloses.total && stats.rooms === LIVE_ROOMS && stats.users === 1, `stats ${JSON.stringify(stats)}`);
    check(liveCloses.total === liveCloses.late, `live clients closed with their pongs on time: ${liveCloses.total - liveCloses.late} ${JSON.stringify(liveCloses.onTime)}`);
    const late = liveCloses.late + tally.lateCloses.length;
    check(stats.heartbeatTerminations === tally.done.blackhole + late, `heartbeat terminations ${stats.heartbeatTerminations} != blackholes ${tally.done.blackhole} + late pongs ${late}`);
    check(Math.abs(resourcesOf(dump) - resourcesOf(baseline.dump)) <= 2, `resources ${resourcesOf(dump)} vs ${resourcesOf(baseline.dump)}`);
    check(Math.abs(dump.timers - baseline.dump.timers) <= 2, `timers ${dump.timers} vs ${baseline.dump.timers}`);
    check(dump.memory.heapUsed < baseline.dump.memory.heapUsed + 5 * MiB, `heap ${dump.memory.heapUsed}`);
  }
  const heaps = rounds.map((r) => r.heapUsed);
  const rising = heaps[0] < heaps[1] && heaps[1] < heaps[2] && heaps[2] - heaps[0] > 1 * MiB;
  expect(rising).toBe(false);

  // Every acked live publish reached every member of its room; no live client was closed.
  const report = await live.report();
  log(`live clients: ${JSON.stringify(report)}`);
  await live.close();
  const end = await settle(server);
  const expectedBlackholes = tally.done.blackhole;
  log(`end: ${next} cycles in ${Math.round((Date.now() - started) / 1000)} s ${JSON.stringify(tally.done)}; ${report.published} live publishes acked, ${report.missing} deliveries missing, ${report.duplicates} duplicated; ` +
    `cycle own-message misses ${tally.undelivered}; wrong closes ${tally.wrongCloses.length}; late closes (pong late by the harness): live ${report.lateCloses}, cycles ${tally.lateCloses.length} ${tally.lateCloses.slice(0, 3).join(' | ')}; failures ${failures.length} ${failures.slice(0, 3).join(' | ')}; ` +
    `stats ${JSON.stringify(end.stats)}; resources ${JSON.stringify(end.dump.resources)} (idle ${JSON.stringify(idle.dump.resources)}); timers ${end.dump.timers} (idle ${idle.dump.timers}); heapUsed ${(end.dump.memory.heapUsed / MiB).toFixed(1)} MiB`);
  // The server's own account of its heartbeat sweeps: how many it terminated, and how many
  // suspects the extra poll phase spared (their data was read just after they were picked).
  const sweeps = server.output().split('\n').filter((l) => l.includes('heartbeat sweep')).map((l) => JSON.parse(l));
  const sum = (key: string) => sweeps.reduce((n, s) => n + (s[key] ?? 0), 0);
  const max = (key: string) => sweeps.reduce((n, s) => Math.max(n, s[key] ?? 0), 0);
  log(`server heartbeat sweeps logged ${sweeps.length}: terminated ${sum('terminated')}, spared ${sum('spared')} (in ${sweeps.filter((s) => s.spared).length} sweeps, at most ${max('spared')} at once), ` +
    `postponed ${sum('postponed')}, sweep timer late max ${max('sweepLateMs')} ms, extra poll phase max ${max('extraPollMs')} ms, warnings ${sweeps.filter((s) => s.level >= 40).length}` +
    sweeps.filter((s) => s.level >= 40 || s.spared).slice(0, 10).map((s) => `\n  ${JSON.stringify(s)}`).join(''));
  const others = server.output().split('\n').filter((l) => l.startsWith('{"level":') && !l.includes('heartbeat sweep'));
  if (others.length) log(`server warnings/errors: ${others.length}${others.slice(0, 5).map((l) => `\n  ${l.slice(0, 400)}`).join('')}`);
  expect(problems).toEqual([]);
  // Every live client still open, unless the server closed it for a pong the harness sent late.
  expect(report).toMatchObject({ open: LIVE - report.lateCloses, closes: Array(report.lateCloses).fill(1006), missing: 0, duplicates: 0 });
  expect(report.lateCloses + tally.lateCloses.length).toBeLessThanOrEqual(MAX_LATE_SHARE * LIVE);
  expect(failures).toEqual([]);
  expect(tally.wrongCloses).toEqual([]);
  expect(tally.undelivered).toBe(0);
  expect(end.stats).toMatchObject({ connections: 0, rooms: 0, users: 0, heartbeatTerminations: expectedBlackholes + report.lateCloses + tally.lateCloses.length });
  expect(Math.abs(resourcesOf(end.dump) - resourcesOf(idle.dump))).toBeLessThanOrEqual(2);
  expect(Math.abs(end.dump.timers - idle.dump.timers)).toBeLessThanOrEqual(2);
});
