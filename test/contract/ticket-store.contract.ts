import { MAX_TICKETS_PER_USER, TicketLimitError, TicketStore } from '../../src/auth/ticket-store';
import type { Identity } from '../../src/auth/token-verifier';
import { waitFor } from '../support/wait-for';
import { fresh } from './fresh';

/**
 * The TicketStore contract (see ticket-store.ts), checked against every implementation:
 * - issue() returns an opaque ticket (43 base64url characters) that redeem() turns back into the
 *   identity it was issued for, exactly once; a second redeem, or an unknown ticket, is undefined.
 * - Tickets are independent: one user's several tickets each redeem once, for their own identity.
 * - A ticket is undefined after ttlMs, and never outlives its token's `exp`.
 * - A user holds at most MAX_TICKETS_PER_USER unredeemed, unexpired tickets: one more throws
 *   TicketLimitError with scope 'user' and stores nothing; other users are not affected; redeeming
 *   a ticket or its expiry frees a slot; refused issues do not count.
 * What differs by nature (the node-wide cap in memory, Redis being unreachable) is checked in each
 * implementation's spec.
 */
export function describeTicketStoreContract(name: string, open: () => Promise<TicketStore>): void {
  describe(`TicketStore contract: ${name}`, () => {
    const freshUser = () => fresh('user');
    const identity = (userId = freshUser(), exp = Math.floor(Date.now() / 1000) + 3600): Identity => ({ userId, rooms: ['public:*'], exp, jti: `jti-${userId}`, claims: { sub: userId, exp, tenant: 'acme' } });
    const fill = async (store: TicketStore, who: Identity, ttlMs = 30_000) => {
      const tickets: string[] = [];
      for (let i = 0; i < MAX_TICKETS_PER_USER; i++) tickets.push(await store.issue(who, ttlMs));
      return tickets;
    };

    it('redeems a ticket once, for the identity it was issued for', async () => {
      const store = await open();
      const alice = identity();
      const ticket = await store.issue(alice, 30_000);
      expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await store.redeem(ticket)).toEqual(alice);
      expect(await store.redeem(ticket)).toBeUndefined();
    });

    it('answers undefined for an unknown ticket', async () => {
      const store = await open();
      expect(await store.redeem('A'.repeat(43))).toBeUndefined();
      expect(await store.redeem('')).toBeUndefined();
    });

    it('keeps one user\'s tickets apart: each redeems once, for its own identity', async () => {
      const store = await open();
      const userId = freshUser();
      const first = identity(userId);
      const second = { ...identity(userId), rooms: ['private:x'] };
      const [a, b] = [await store.issue(first, 30_000), await store.issue(second, 30_000)];
      expect(a).not.toBe(b);
      expect(await store.redeem(b)).toEqual(second);
      expect(await store.redeem(a)).toEqual(first);
    });

    it('forgets a ticket after ttlMs', async () => {
      const store = await open();
      const alice = identity();
      const issuedAt = Date.now();
      const ticket = await store.issue(alice, 150);
      await waitFor(() => Date.now() > issuedAt + 250, 2000);
      expect(await store.redeem(ticket)).toBeUndefined();
    });

    it('never lets a ticket outlive its token\'s exp', async () => {
      const store = await open();
      const expired = identity(freshUser(), Math.floor(Date.now() / 1000) - 1);
      expect(await store.redeem(await store.issue(expired, 30_000))).toBeUndefined();
    });

    it(`caps a user at ${MAX_TICKETS_PER_USER} unredeemed tickets, without affecting other users`, async () => {
      const store = await open();
      const alice = identity();
      await fill(store, alice);
      const refused = store.issue(alice, 30_000);
      await expect(refused).rejects.toBeInstanceOf(TicketLimitError);
      await expect(refused).rejects.toMatchObject({ scope: 'user' });
      await expect(store.issue(identity(), 30_000)).resolves.toEqual(expect.any(String));
    });

    it('frees a slot when a ticket is redeemed, and does not count refused issues', async () => {
      const store = await open();
      const alice = identity();
      const tickets = await fill(store, alice);
      for (let i = 0; i < 3; i++) await expect(store.issue(alice, 30_000)).rejects.toBeInstanceOf(TicketLimitError);
      expect(await store.redeem(tickets[5])).toEqual(alice);
      const again = await store.issue(alice, 30_000);
      await expect(store.issue(alice, 30_000)).rejects.toBeInstanceOf(TicketLimitError);
      expect(await store.redeem(again)).toEqual(alice);
    });

    it('frees the slots of expired tickets', async () => {
      const store = await open();
      const alice = identity();
      const issuedAt = Date.now();
      await fill(store, alice, 200);
      await waitFor(() => Date.now() > issuedAt + 300, 2000);
      const fresh = await fill(store, alice);
      expect(fresh).toHaveLength(MAX_TICKETS_PER_USER);
      expect(await store.redeem(fresh[0])).toEqual(alice);
    });
  });
}
