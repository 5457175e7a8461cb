import { HistoryLimits, HistoryStore, LocalStreams, NewRoomMessage, SharedStreams } from '../../src/history/history-store';
import { NewDirectMessage, UserStreamStore } from '../../src/history/user-streams';
import { DirectMessageData, RoomMessageData, StreamPosition } from '../../src/protocol';

type Streams<N, D extends StreamPosition> = LocalStreams<N, D> | SharedStreams<N, D>;

export interface StoreUnderTest<S = HistoryStore> {
  store: S;
  close(): Promise<void>;
}

export type StoreFactory<S = HistoryStore> = (limits: HistoryLimits) => Promise<StoreUnderTest<S>>;

/** What the contract needs to know of a key space (rooms, users): how to name a stream and write to it. */
interface KeySpace<N> {
  label: string;
  frameType: string;
  /** The stored data's keys, in the frame's order. */
  dataKeys: string[];
  freshKey(): string;
  message(key: string, body: unknown): N;
  /** What a stored message's data and a page say of their stream's key. */
  keyFields(key: string): { data: object; page: object };
}

const LIMITS: HistoryLimits = { sizePerRoom: 10, ttlMs: 60_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let keys = 0;
/** A key no other test (or earlier run against a shared server) has used. */
const freshKey = () => `contract:${process.pid}-${Date.now()}-${++keys}`;

const ROOMS: KeySpace<NewRoomMessage> = {
  label: 'HistoryStore',
  frameType: 'message',
  dataKeys: ['room', 'messageId', 'from', 'body', 'ts', 'offset', 'epoch'],
  freshKey,
  message: (room, body) => ({ room, messageId: `m-${Math.random()}`, from: 'alice', body, ts: Date.now() }),
  keyFields: (room) => ({ data: { room }, page: { room } }),
};

/** User ids may hold anything, braces too: the keys must stay in the user's slot. */
const USERS: KeySpace<NewDirectMessage> = {
  label: 'HistoryStore (user streams)',
  frameType: 'direct',
  dataKeys: ['from', 'body', 'messageId', 'ts', 'offset', 'epoch'],
  freshKey: () => `${freshKey()}:user{x}`,
  message: (_userId, body) => ({ from: 'alice', body, messageId: `m-${Math.random()}`, ts: Date.now() }),
  keyFields: () => ({ data: {}, page: {} }),
};

/** The HistoryStore contract: every implementation must pass it (see history-store.ts). */
export function describeHistoryStoreContract(name: string, factory: StoreFactory): void {
  describeStreamsContract<NewRoomMessage, RoomMessageData>(ROOMS, name, factory);
}

/** The same contract for the per-user streams (src/history/user-streams.ts). */
export function describeUserStreamsContract(name: string, factory: StoreFactory<UserStreamStore>): void {
  describeStreamsContract<NewDirectMessage, DirectMessageData>(USERS, name, factory);
}

function describeStreamsContract<N, D extends StreamPosition & { body: unknown }>(space: KeySpace<N>, name: string, factory: StoreFactory<Streams<N, D>>): void {
  const freshRoom = space.freshKey;
  const message = space.message;
  type Store = Streams<N, D>;
  describe(`${space.label} contract: ${name}`, () => {
    const opened: StoreUnderTest<Store>[] = [];
    const open = async (limits: Partial<HistoryLimits> = {}) => {
      const opened1 = await factory({ ...LIMITS, ...limits });
      opened.push(opened1);
      return opened1.store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    const appendAll = async (store: Store, room: string, bodies: unknown[]) => {
      const stored = [];
      for (const body of bodies) stored.push(await store.append(room, message(room, body)));
      return stored;
    };

    it('assigns offsets 1, 2, 3... per room, independently, with one epoch per stream', async () => {
      const store = await open();
      const [a, b] = [freshRoom(), freshRoom()];
      const inA = await appendAll(store, a, ['x', 'y', 'z']);
      const inB = await appendAll(store, b, ['p']);
      expect(inA.map((m) => m.data.offset)).toEqual([1, 2, 3]);
      expect(inB.map((m) => m.data.offset)).toEqual([1]);
      expect(new Set(inA.map((m) => m.data.epoch)).size).toBe(1);
      expect(await store.position(a)).toEqual({ offset: 3, epoch: inA[0].data.epoch });
    });

    it('encodes each stored message as its frame (`message` for rooms, `direct` for users)', async () => {
      const store = await open();
      const room = freshRoom();
      const { data, frame } = await store.append(room, message(room, { text: 'hi', n: [1, null] }));
      expect(JSON.parse(frame.toString())).toEqual({ type: space.frameType, data });
      expect(data).toMatchObject({ ...space.keyFields(room).data, from: 'alice', body: { text: 'hi', n: [1, null] }, offset: 1 });
    });

    it('stores exactly the message fields and the position, in the frame\'s key order', async () => {
      const store = await open();
      const room = freshRoom();
      const { data, frame } = await store.append(room, message(room, { constructor: 'Bob' }));
      expect(Object.keys(data)).toEqual(space.dataKeys);
      expect(frame.toString()).toBe(JSON.stringify({ type: space.frameType, data }));
    });

    it('gives concurrent appends unique, contiguous offsets', async () => {
      const store = await open({ sizePerRoom: 500 });
      const room = freshRoom();
      const stored = await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(room, message(room, i))));
      expect(stored.map((m) => m.data.offset).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    });

    it('starts an unknown room at offset 0 with a stable epoch', async () => {
      const store = await open();
      const room = freshRoom();
      const first = await store.position(room);
      expect(first.offset).toBe(0);
      expect(first.epoch).toEqual(expect.any(String));
      expect(await store.position(room)).toEqual(first);
      const { data } = await store.append(room, message(room, 1));
      expect(data.epoch).toBe(first.epoch);
    });

    it('returns every message after a position, in order, or [] at the top', async () => {
      const store = await open();
      const room = freshRoom();
      const stored = await appendAll(store, room, [1, 2, 3, 4, 5]);
      const epoch = stored[0].data.epoch;
      expect((await store.since(room, { offset: 2, epoch }))!.map((m) => m.data.body)).toEqual([3, 4, 5]);
      expect((await store.since(room, { offset: 0, epoch }))!.map((m) => m.data.offset)).toEqual([1, 2, 3, 4, 5]);
      expect(await store.since(room, { offset: 5, epoch })).toEqual([]);
    });

    it.each([
      ['a different epoch', (epoch: string) => ({ offset: 1, epoch: `${epoch}x` })],
      ['an offset ahead of the stream', (epoch: string) => ({ offset: 6, epoch })],
    ])('answers null (never a partial replay) for %s', async (_name, position) => {
      const store = await open();
      const room = freshRoom();
      const stored = await appendAll(store, room, [1, 2, 3, 4, 5]);
      expect(await store.since(room, position(stored[0].data.epoch))).toBeNull();
    });

    it('answers null for a room it has no stream for', async () => {
      const store = await open();
      expect(await store.since(freshRoom(), { offset: 0, epoch: 'unknown' })).toBeNull();
    });

    it('keeps the last sizePerRoom messages and answers null once a missed one was trimmed', async () => {
      const store = await open({ sizePerRoom: 3 });
      const room = freshRoom();
      const stored = await appendAll(store, room, [1, 2, 3, 4, 5]);
      const epoch = stored[0].data.epoch;
      expect((await store.since(room, { offset: 2, epoch }))!.map((m) => m.data.offset)).toEqual([3, 4, 5]);
      expect(await store.since(room, { offset: 1, epoch })).toBeNull();
      expect((await store.page(room, 10)).messages.map((m) => m.offset)).toEqual([3, 4, 5]);
    });

    it('forgets messages after ttlMs, answering null for a range that expired', async () => {
      const store = await open({ ttlMs: 300 });
      const room = freshRoom();
      const stored = await appendAll(store, room, [1, 2]);
      await sleep(450);
      const { data } = await store.append(room, message(room, 3));
      const epoch = stored[0].data.epoch;
      expect(data.offset).toBe(3);
      expect(await store.since(room, { offset: 0, epoch })).toBeNull();
      expect((await store.since(room, { offset: 2, epoch }))!.map((m) => m.data.offset)).toEqual([3]);
      expect((await store.page(room, 10)).messages.map((m) => m.offset)).toEqual([3]);
    });

    it('reads back the message at exactly one position, or null: another epoch, offset 0, ahead, trimmed, an unknown stream', async () => {
      const store = await open({ sizePerRoom: 3 });
      const room = freshRoom();
      const stored = await appendAll(store, room, [1, 2, 3, 4, 5]);
      const epoch = stored[0].data.epoch;
      expect(await store.at(room, { offset: 4, epoch })).toEqual(stored[3].data);
      expect(await store.at(room, { offset: 5, epoch })).toEqual(stored[4].data);
      expect(await store.at(room, { offset: 3, epoch })).toEqual(stored[2].data);
      expect(await store.at(room, { offset: 2, epoch })).toBeNull(); // trimmed
      expect(await store.at(room, { offset: 0, epoch })).toBeNull();
      expect(await store.at(room, { offset: 6, epoch })).toBeNull();
      expect(await store.at(room, { offset: 4, epoch: `${epoch}x` })).toBeNull();
      const unknown = freshRoom();
      expect(await store.at(unknown, { offset: 1, epoch })).toBeNull();
      // It does not create the stream: the first append still starts at 1, with the stream's epoch.
      expect((await store.append(unknown, message(unknown, 1))).data.offset).toBe(1);
    });

    it('answers null from at() once the message expired', async () => {
      const store = await open({ ttlMs: 300 });
      const room = freshRoom();
      const [first] = await appendAll(store, room, [1]);
      expect(await store.at(room, { offset: 1, epoch: first.data.epoch })).toEqual(first.data);
      await sleep(450);
      expect(await store.at(room, { offset: 1, epoch: first.data.epoch })).toBeNull();
    });

    it('pages backwards: newest first page, ascending within a page, `before` for the previous one', async () => {
      const store = await open({ sizePerRoom: 100 });
      const room = freshRoom();
      await appendAll(store, room, Array.from({ length: 25 }, (_, i) => i + 1));
      const last = await store.page(room, 10);
      expect(last.messages.map((m) => m.offset)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
      expect(last).toMatchObject({ ...space.keyFields(room).page, offset: 25 });
      const previous = await store.page(room, 10, last.messages[0].offset);
      expect(previous.messages.map((m) => m.offset)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      const first = await store.page(room, 10, previous.messages[0].offset);
      expect(first.messages.map((m) => m.offset)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.page(room, 10, 1)).messages).toEqual([]);
    });
  });
}
