import { TicketLimitError } from '../../src/auth/ticket-store';
import { InMemoryTicketStore } from '../../src/auth/ticket-store.memory';
import { describeTicketStoreContract } from './ticket-store.contract';

describeTicketStoreContract('in memory', async () => new InMemoryTicketStore());

describe('InMemoryTicketStore node-wide cap (memory only: see TicketStore)', () => {
  const saved = InMemoryTicketStore.maxOutstanding;
  afterEach(() => {
    InMemoryTicketStore.maxOutstanding = saved;
  });

  it('refuses with scope "node" once maxOutstanding tickets are outstanding, and takes more after a redeem', async () => {
    InMemoryTicketStore.maxOutstanding = 5;
    const store = new InMemoryTicketStore();
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const tickets: string[] = [];
    for (let i = 0; i < 5; i++) tickets.push(await store.issue({ userId: `u${i}`, rooms: [], exp, claims: {} }, 30_000));
    await expect(store.issue({ userId: 'another', rooms: [], exp, claims: {} }, 30_000)).rejects.toMatchObject({ constructor: TicketLimitError, scope: 'node' });
    await store.redeem(tickets[0]);
    await expect(store.issue({ userId: 'another', rooms: [], exp, claims: {} }, 30_000)).resolves.toEqual(expect.any(String));
  });
});
