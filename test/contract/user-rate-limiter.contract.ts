import type { UserRateLimiter } from '../../src/ratelimit/user-rate-limiter';
import { fresh } from './fresh';

/** What this contract configures every limiter with: a lease (Redis) is then ceil(10 / 4) = 3 tokens. */
export const RATE = 10;
export const BURST = 20;
const LEASE = 3;

/**
 * The UserRateLimiter contract, for every driver: `nodes()` opens two limiters as two nodes of one
 * deployment see it (in memory: one node, the same limiter twice; on Redis: two limiters on the
 * same server, each with its own leases). Frames of one user through both share one budget: over
 * T ms a flood gets the burst plus the refill, plus at most two leases per node (Redis: the one
 * held, and the provisional one before the first lease arrives), never a budget per node; other
 * users are unaffected.
 */
export function describeUserRateLimiterContract(name: string, nodes: () => Promise<[UserRateLimiter, UserRateLimiter]>): void {
  describe(`UserRateLimiter contract: ${name}`, () => {
    /** Floods the budgets for `ms`: 5 frames each per turn, a turn every 5 ms; returns what was accepted. */
    async function flood(budgets: { take(now: number): boolean }[], ms: number): Promise<{ accepted: number; elapsed: number }> {
      const started = Date.now();
      let accepted = 0;
      while (Date.now() - started < ms) {
        for (const budget of budgets) for (let i = 0; i < 5; i++) if (budget.take(Date.now())) accepted++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return { accepted, elapsed: Date.now() - started };
    }

    it("shares one budget between a user's sessions on two nodes", async () => {
      const [a, b] = await nodes();
      const user = fresh('user');
      const { accepted, elapsed } = await flood([a.acquire(user), b.acquire(user)], 500);
      expect(accepted).toBeGreaterThanOrEqual(BURST);
      expect(accepted).toBeLessThanOrEqual(BURST + Math.ceil((RATE * elapsed) / 1000) + 2 * 2 * LEASE);
      a.release(user);
      b.release(user);
    });

    it("leaves other users' budgets alone", async () => {
      const [a, b] = await nodes();
      const [flooder, other] = [fresh('user'), fresh('user')];
      await flood([a.acquire(flooder), b.acquire(flooder)], 200);
      const { accepted } = await flood([b.acquire(other)], 200);
      expect(accepted).toBeGreaterThanOrEqual(BURST);
      for (const [limiter, user] of [[a, flooder], [b, flooder], [b, other]] as const) limiter.release(user);
    });
  });
}
