import { RedisTicketStore } from '../../src/auth/ticket-store.redis';
import { TicketStoreUnavailableError } from '../../src/auth/ticket-store';
import { InMemoryTicketStore } from '../../src/auth/ticket-store.memory';
import { redisFixture } from './redis-fixture';
import { describeTicketStoreContract } from './ticket-store.contract';

const redis = redisFixture();
const identity = (userId: string) => ({ userId, rooms: ['public:*'], exp: Math.floor(Date.now() / 1000) + 3600, claims: { sub: userId } });

describeTicketStoreContract('Redis', async () => new RedisTicketStore(await redis.connect()));

describe('RedisTicketStore across nodes and without Redis (Redis only: see TicketStore)', () => {
  it('redeems on one node a ticket issued on another, once', async () => {
    const [a, b] = [new RedisTicketStore(await redis.connect()), new RedisTicketStore(await redis.connect())];
    const ticket = await a.issue(identity('across'), 30_000);
    expect(await b.redeem(ticket)).toEqual(identity('across'));
    expect(await a.redeem(ticket)).toBeUndefined();
  });

  it('has no node-wide cap', async () => {
    const saved = InMemoryTicketStore.maxOutstanding;
    InMemoryTicketStore.maxOutstanding = 1;
    try {
      const store = new RedisTicketStore(await redis.connect());
      for (let i = 0; i < 3; i++) await expect(store.issue(identity(`no-cap-${i}`), 30_000)).resolves.toEqual(expect.any(String));
    } finally {
      InMemoryTicketStore.maxOutstanding = saved;
    }
  });

  it('throws TicketStoreUnavailableError from issue() and redeem() while Redis is unreachable', async () => {
    const clients = await redis.connect();
    const store = new RedisTicketStore(clients);
    const ticket = await store.issue(identity('down'), 30_000);
    await redis.whileDown(clients, async () => {
      await expect(store.issue(identity('down'), 30_000)).rejects.toBeInstanceOf(TicketStoreUnavailableError);
      await expect(store.redeem(ticket)).rejects.toBeInstanceOf(TicketStoreUnavailableError);
    });
    // The restarted server is empty: the ticket is gone, the store works again.
    expect(await store.redeem(ticket)).toBeUndefined();
    await expect(store.issue(identity('down'), 30_000)).resolves.toEqual(expect.any(String));
  }, 15_000);
});
