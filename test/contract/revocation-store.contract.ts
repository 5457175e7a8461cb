import type { Revocation } from '../../src/revocation/revocation-store';
import { RevocationStore } from '../../src/revocation/revocation-store';
import { waitFor } from '../support/wait-for';
import { fresh } from './fresh';

/**
 * The RevocationStore contract (see revocation-store.ts), checked against every implementation:
 * - active() lists each revocation added while its `untilMs` is ahead: one {userId, untilMs} per
 *   user and one {jti, untilMs} per token id (a revocation naming both gives both entries).
 * - A revocation is no longer listed once its `untilMs` passed; one added already ended is never
 *   listed.
 * - Adding the same user or token id again never shortens its revocation; a later `untilMs`
 *   lengthens it.
 * - Revocations of different users and token ids are independent.
 * Sharing between nodes and failing while Redis is down are the Redis store's alone: its spec checks them.
 */
export function describeRevocationStoreContract(name: string, open: () => Promise<RevocationStore>): void {
  describe(`RevocationStore contract: ${name}`, () => {
    /** What the store lists about these users and token ids (a shared server holds other tests' too). */
    const activeFor = async (store: RevocationStore, ...ids: string[]) => (await store.active()).filter((r) => ids.includes(r.userId ?? r.jti ?? ''));
    const inAMinute = () => Date.now() + 60_000;

    it('lists a revoked user and a revoked token id with their untilMs', async () => {
      const store = await open();
      const [userId, jti] = [fresh('user'), fresh('jti')];
      const untilMs = inAMinute();
      await store.add({ userId, untilMs });
      await store.add({ jti, untilMs: untilMs + 1 });
      const listed = await activeFor(store, userId, jti);
      expect(listed).toHaveLength(2);
      expect(listed).toEqual(expect.arrayContaining([{ userId, untilMs }, { jti, untilMs: untilMs + 1 }]));
    });

    it('lists a revocation naming a user and a token id as one entry for each', async () => {
      const store = await open();
      const [userId, jti] = [fresh('user'), fresh('jti')];
      const untilMs = inAMinute();
      await store.add({ userId, jti, untilMs });
      const listed = await activeFor(store, userId, jti);
      expect(listed).toHaveLength(2);
      expect(listed).toEqual(expect.arrayContaining([{ userId, untilMs }, { jti, untilMs }]));
    });

    it('never shortens a revocation, and lengthens it with a later untilMs', async () => {
      const store = await open();
      const userId = fresh('user');
      const untilMs = inAMinute();
      await store.add({ userId, untilMs });
      await store.add({ userId, untilMs: untilMs - 30_000 });
      expect(await activeFor(store, userId)).toEqual([{ userId, untilMs }]);
      await store.add({ userId, untilMs: untilMs + 30_000 });
      expect(await activeFor(store, userId)).toEqual([{ userId, untilMs: untilMs + 30_000 }]);
    });

    it('stops listing a revocation once its untilMs passed, and never lists one added already ended', async () => {
      const store = await open();
      const [short, ended, kept] = [fresh('user'), fresh('user'), fresh('jti')];
      const untilMs = Date.now() + 150;
      await store.add({ userId: short, untilMs });
      await store.add({ userId: ended, untilMs: Date.now() - 1 });
      await store.add({ jti: kept, untilMs: inAMinute() });
      expect((await activeFor(store, short, ended)).map((r) => r.userId)).toEqual([short]);
      await waitFor(() => Date.now() > untilMs, 2000);
      expect(await activeFor(store, short, ended, kept)).toEqual([{ jti: kept, untilMs: expect.any(Number) }]);
    });

    it('keeps revocations of different users apart', async () => {
      const store = await open();
      const [a, b] = [fresh('user'), fresh('user')];
      const revocations: Revocation[] = [{ userId: a, untilMs: inAMinute() }, { userId: b, untilMs: inAMinute() + 5 }];
      for (const r of revocations) await store.add(r);
      expect(await activeFor(store, a)).toEqual([revocations[0]]);
      expect(await activeFor(store, b)).toEqual([revocations[1]]);
    });
  });
}
