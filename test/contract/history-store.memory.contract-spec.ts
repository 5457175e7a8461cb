import { InMemoryHistoryStore, InMemoryStreamStore } from '../../src/history/history-store.memory';
import { USER_STREAMS } from '../../src/history/user-streams';
import { describeHistoryStoreContract, describeUserStreamsContract } from './history-store.contract';

describeHistoryStoreContract('in memory', async (limits) => ({ store: new InMemoryHistoryStore({ ...limits, maxBytes: 64 * 1024 * 1024 }), close: async () => undefined }));
describeUserStreamsContract('in memory', async (limits) => ({ store: new InMemoryStreamStore(USER_STREAMS, { ...limits, maxBytes: 64 * 1024 * 1024 }), close: async () => undefined }));

describe('InMemoryHistoryStore memory cap (memory only: see LocalHistoryStore)', () => {
  it('evicts the least recently published streams first, and a new stream gets a new epoch', async () => {
    const store = new InMemoryHistoryStore({ sizePerRoom: 100, ttlMs: 60_000, maxBytes: 20_000 });
    const body = 'b'.repeat(900);
    const first = await store.append('old', { room: 'old', messageId: '1', from: 'a', body, ts: 0 });
    for (let i = 0; i < 5; i++) await store.append('kept', { room: 'kept', messageId: `k${i}`, from: 'a', body, ts: 0 });
    for (let i = 0; i < 30; i++) await store.append(`room-${i}`, { room: `room-${i}`, messageId: `r${i}`, from: 'a', body, ts: 0 });
    expect(store.bytes).toBeLessThanOrEqual(20_000);
    const old = await store.position('old');
    expect(old.offset).toBe(0);
    expect(old.epoch).not.toBe(first.data.epoch);
    expect(await store.since('old', { offset: 0, epoch: first.data.epoch })).toBeNull();
  });

  it('returns the memory of expired messages on expireAll', async () => {
    let now = 0;
    const store = new InMemoryHistoryStore({ sizePerRoom: 100, ttlMs: 1000, maxBytes: 1 << 20 }, () => now);
    for (let i = 0; i < 10; i++) await store.append('r', { room: 'r', messageId: `${i}`, from: 'a', body: 'x'.repeat(100), ts: 0 });
    const full = store.bytes;
    now = 1001;
    store.expireAll();
    expect(store.bytes).toBeLessThan(full / 3);
    expect((await store.position('r')).offset).toBe(10);
  });

  it('creates no stream for a read (every user\'s position is read at connect): unknown keys share one epoch until a stream is dropped', async () => {
    const store = new InMemoryHistoryStore({ sizePerRoom: 100, ttlMs: 60_000, maxBytes: 20_000 });
    const a = await store.position('a');
    expect(await store.position('b')).toEqual(a);
    expect((await store.page('c', 10)).messages).toEqual([]);
    expect(store.streamCount).toBe(0);
    expect(await store.since('a', a)).toEqual([]);
    const first = await store.append('a', { room: 'a', messageId: '1', from: 'u', body: 1, ts: 0 });
    expect(first.data).toMatchObject({ offset: 1, epoch: a.epoch });
    expect((await store.since('a', a))!.map((m) => m.data.offset)).toEqual([1]);
    // Once the cap dropped a stream, a missing key may have been it: reads create it, with its own epoch.
    const body = 'b'.repeat(900);
    for (let i = 0; i < 30; i++) await store.append(`room-${i}`, { room: `room-${i}`, messageId: `r${i}`, from: 'u', body, ts: 0 });
    expect(await store.since('b', a)).toBeNull();
    const b = await store.position('b');
    expect(b.offset).toBe(0);
    expect(b.epoch).not.toBe(a.epoch);
    expect(await store.position('b')).toEqual(b);
  });
});
