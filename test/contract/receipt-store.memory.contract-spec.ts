import { InMemoryReceiptStore } from '../../src/history/receipt-store.memory';
import { describeReceiptStoreContract } from './receipt-store.contract';

describeReceiptStoreContract('in memory', async (ttlMs) => new InMemoryReceiptStore(ttlMs));

describe('InMemoryReceiptStore bounds (memory only: see ReceiptStore)', () => {
  it('keeps at most maxEntries markers, the oldest leaving first', async () => {
    const store = new InMemoryReceiptStore(60_000, 3);
    for (const m of ['m1', 'm2', 'm3', 'm4']) expect(await store.claim('bob', m, 'delivered')).toBe(true);
    expect(store.size).toBe(3);
    expect(await store.claim('bob', 'm4', 'delivered')).toBe(false);
    expect(await store.claim('bob', 'm2', 'delivered')).toBe(false);
    expect(await store.claim('bob', 'm1', 'delivered')).toBe(true); // pushed out: forwarded again (at least once)
  });

  it('drops expired markers as it claims, without a timer', async () => {
    let now = 0;
    const store = new InMemoryReceiptStore(1000, 100, () => now);
    for (let i = 0; i < 10; i++) await store.claim('bob', `m${i}`, 'read');
    now = 1000;
    await store.claim('bob', 'later', 'read');
    expect(store.size).toBe(1);
  });
});
