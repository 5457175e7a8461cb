import { redisPerTest, usersPerTest } from '../support/per-test';
import { CLUSTER_NODE_ENV, killServerProcessesAfterEach, startServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait-for';
import { TestClient } from '../support/ws-client';

const RATE = 100;
const BURST = 100;
/** leaseSizeFor(100, 100): a quarter second of the rate. */
const LEASE = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two real nodes on one redis-server, one user connected to both and flooding both (2,000 pings a
 * second each, far over the per-user rate; the per-connection bucket is out of the way). What the
 * nodes accept in all is one budget, RATE x T + BURST, within the documented accuracy (one lease
 * per node), not a budget per node.
 */
describe('per-user rate limit across two nodes on Redis', () => {
  killServerProcessesAfterEach();
  const redis = redisPerTest();
  const user = usersPerTest();

  const node = (id: string) =>
    startServerProcess({ REDIS_URL: redis().url, NODE_ID: id, ...CLUSTER_NODE_ENV, RATE_LIMIT_USER_PER_SEC: String(RATE), RATE_LIMIT_USER_BURST: String(BURST) });

  /** Sends 20 pings per client every 10 ms for `ms`; waits for every reply; returns the pongs and the time it sent for. */
  async function flood(targets: TestClient[], ms: number): Promise<{ pongs: number; errors: number; seconds: number }> {
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < ms) {
      for (const c of targets) for (let i = 0; i < 20; i++) c.sendRaw(JSON.stringify({ type: 'ping', id: `p${sent + i}` }));
      sent += 20;
      await sleep(10);
    }
    const seconds = (Date.now() - started) / 1000;
    const replies = () => targets.reduce((n, c) => n + c.frames.filter((f) => f.id?.startsWith('p')).length, 0);
    await waitFor(() => replies() === sent * targets.length, 10_000);
    const count = (type: string) => targets.reduce((n, c) => n + c.frames.filter((f) => f.id?.startsWith('p') && f.type === type).length, 0);
    return { pongs: count('pong'), errors: count('error'), seconds };
  }

  it("shares one rate budget between a user's connections on two nodes", async () => {
    const [a, b] = await Promise.all([node('rl-a'), node('rl-b')]);
    const [onA, onB] = [await user(a, 'rl-user'), await user(b, 'rl-user')];
    const { pongs, errors, seconds } = await flood([onA, onB], 2000);
    // The replies of the last frames arrive after `seconds`: a tenth of a second of refill more.
    // Per node, the lease held and a provisional one (docs/protocol.md, section 5).
    const upper = BURST + RATE * (seconds + 0.1) + 2 * 2 * LEASE;
    expect(pongs).toBeLessThanOrEqual(upper);
    // A budget per node would have let through about twice as much.
    expect(pongs).toBeLessThan(2 * (BURST + RATE * seconds) * 0.7);
    // And the user does get the budget, not less: at least the burst and most of the refill.
    expect(pongs).toBeGreaterThanOrEqual(BURST + RATE * seconds * 0.6);
    expect(errors).toBeGreaterThan(0);
    for (const c of [onA, onB]) expect(c.frames.filter((f) => f.type === 'error').every((f) => f.data.message === 'user rate limit exceeded; slow down')).toBe(true);
    expect(onA.socket.readyState).toBe(onA.socket.OPEN);

    // Another user's budget is their own, on either node.
    const other = await user(b, 'rl-other');
    const theirs = await flood([other], 300);
    expect(theirs.pongs).toBeGreaterThanOrEqual(BURST);
  }, 30_000);
});
