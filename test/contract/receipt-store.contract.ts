import type { ReceiptStore } from '../../src/history/receipt-store';
import { waitFor } from '../support/wait-for';
import { fresh } from './fresh';

/**
 * The ReceiptStore contract (see receipt-store.ts), checked against every implementation:
 * - claim() is true the first time a recipient receipts a message in a state, false after;
 *   recipients, messages and states are independent, whatever their ids hold;
 * - of concurrent claims of one receipt exactly one is true;
 * - release() undoes a claim: the next one is true again;
 * - a claim is forgotten after ttlMs.
 * What differs by nature (the memory bound, Redis being unreachable) is checked in each spec.
 */
export function describeReceiptStoreContract(name: string, open: (ttlMs: number) => Promise<ReceiptStore>): void {
  describe(`ReceiptStore contract: ${name}`, () => {
    const message = () => fresh('message');

    it('claims a receipt once per recipient, message and state', async () => {
      const store = await open(60_000);
      const [bob, carol, m1, m2] = [fresh('bob'), fresh('carol'), message(), message()];
      expect(await store.claim(bob, m1, 'delivered')).toBe(true);
      expect(await store.claim(bob, m1, 'delivered')).toBe(false);
      expect(await store.claim(bob, m1, 'read')).toBe(true);
      expect(await store.claim(bob, m1, 'read')).toBe(false);
      expect(await store.claim(bob, m2, 'delivered')).toBe(true);
      expect(await store.claim(carol, m1, 'delivered')).toBe(true);
    });

    it('keeps ids apart whatever they hold (separators, braces)', async () => {
      const store = await open(60_000);
      const base = fresh('user');
      expect(await store.claim(`${base}:a`, 'b:c', 'read')).toBe(true);
      expect(await store.claim(`${base}:a:b`, 'c', 'read')).toBe(true);
      expect(await store.claim(`${base}{x}`, 'read:c', 'delivered')).toBe(true);
      expect(await store.claim(`${base}{x}`, 'c', 'read')).toBe(true);
      expect(await store.claim(`${base}:a`, 'b:c', 'read')).toBe(false);
    });

    it('gives exactly one of concurrent claims of one receipt true', async () => {
      const store = await open(60_000);
      const [bob, m] = [fresh('bob'), message()];
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(bob, m, 'delivered')));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('claims again after release()', async () => {
      const store = await open(60_000);
      const [bob, m] = [fresh('bob'), message()];
      expect(await store.claim(bob, m, 'read')).toBe(true);
      await store.release(bob, m, 'read');
      expect(await store.claim(bob, m, 'read')).toBe(true);
      expect(await store.claim(bob, m, 'read')).toBe(false);
      await store.release(fresh('nobody'), m, 'read'); // releasing what was never claimed does nothing
    });

    it('forgets a claim after ttlMs', async () => {
      const store = await open(200);
      const [bob, m] = [fresh('bob'), message()];
      const claimedAt = Date.now();
      expect(await store.claim(bob, m, 'delivered')).toBe(true);
      expect(await store.claim(bob, m, 'delivered')).toBe(false);
      await waitFor(() => Date.now() > claimedAt + 300, 2000);
      expect(await store.claim(bob, m, 'delivered')).toBe(true);
    });
  });
}
