import { InMemoryTicketStore } from './ticket-store.memory';
import { TicketLimitError } from './ticket-store';

const identity = (userId = 'alice', exp = 2_000_000_000) => ({ userId, rooms: ['public:*'], exp, claims: { sub: userId, exp } });

describe('InMemoryTicketStore', () => {
  it('redeems a ticket once, for the identity it was issued for', async () => {
    const store = new InMemoryTicketStore();
    const ticket = await store.issue(identity(), 30_000);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(store.redeem(ticket)).resolves.toEqual(identity());
    await expect(store.redeem(ticket)).resolves.toBeUndefined();
    await expect(store.redeem('unknown')).resolves.toBeUndefined();
  });

  it('refuses a ticket past its ttl or its token exp, and prunes expired ones', async () => {
    const store = new InMemoryTicketStore();
    let now = 1_000_000;
    store.now = () => now;
    const late = await store.issue(identity(), 30_000);
    const shortToken = await store.issue(identity('bob', 1_010), 30_000); // token expires at 1,010,000 ms
    now += 10_000;
    await expect(store.redeem(shortToken)).resolves.toBeUndefined();
    now += 20_000;
    await expect(store.redeem(late)).resolves.toBeUndefined();
    await store.issue(identity(), 30_000);
    expect(store.size).toBe(1);
  });

  it('caps unredeemed tickets per user', async () => {
    const store = new InMemoryTicketStore();
    for (let i = 0; i < InMemoryTicketStore.maxPerUser; i++) await store.issue(identity(), 30_000);
    await expect(store.issue(identity(), 30_000)).rejects.toBeInstanceOf(TicketLimitError);
    await expect(store.issue(identity('bob'), 30_000)).resolves.toBeDefined();
  });
});
