import { randomBytes } from 'node:crypto';
import { encodeFrame, HistoryPage, RoomMessageData, StreamPosition } from '../protocol';
import { LocalHistoryLimits, LocalHistoryStore, LocalStreams, NewRoomMessage, ROOM_STREAMS, Stored, StreamKind, StreamPage } from './history-store';

/** Bookkeeping bytes charged per stream, so that empty streams count against the cap too. */
const STREAM_OVERHEAD_BYTES = 256;

interface Entry<D extends StreamPosition> extends Stored<D> {
  expiresAt: number;
}

const newEpoch = (): string => randomBytes(8).toString('base64url');

class Stream<D extends StreamPosition> {
  constructor(readonly epoch: string) {}
  offset = 0;
  /** Ascending by offset; contiguous up to `offset`. */
  readonly entries: Entry<D>[] = [];
  bytes = STREAM_OVERHEAD_BYTES;
}

/**
 * The embedded stores of one key space (StreamKind: rooms, users): streams in a Map kept in
 * least-recently-published order, so the byte cap evicts from its front. Everything is lost on
 * restart, and the new streams get new epochs, so clients are told `recovered: false` instead of
 * missing messages silently.
 *
 * Reading a stream that does not exist creates nothing: every user's stream is read when the user
 * connects (the welcome's position), and most users never get a message, so an empty stream per
 * user who ever connected would be memory per connection that outlives it. Until this store first
 * drops a stream (the byte cap), a key without a stream never had one, so all of them are at
 * offset 0 of one shared epoch, `unborn`, which the stream takes when it is created. Once a
 * stream was dropped, a missing one may be that one: reads create it with an epoch of its own,
 * as before, so a client of the dropped one is told `recovered: false`.
 */
export class InMemoryStreamStore<N, D extends StreamPosition> implements LocalStreams<N, D> {
  readonly sharedAcrossNodes = false;
  private readonly streams = new Map<string, Stream<D>>();
  private totalBytes = 0;
  private readonly unborn = newEpoch();
  private dropped = false;

  constructor(
    private readonly kind: StreamKind<N, D>,
    private readonly limits: LocalHistoryLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async append(room: string, message: N): Promise<Stored<D>> {
    const stream = this.touch(room);
    const data = this.kind.data(message, stream.offset + 1, stream.epoch);
    const frame = encodeFrame({ type: this.kind.frameType, data });
    stream.offset = data.offset;
    stream.entries.push({ data, frame, expiresAt: this.now() + this.limits.ttlMs });
    this.resize(stream, frame.length);
    while (stream.entries.length > this.limits.sizePerRoom) this.resize(stream, -stream.entries.shift()!.frame.length);
    this.enforceCap();
    return { data, frame };
  }

  async position(room: string): Promise<StreamPosition> {
    const stream = this.existing(room);
    return { offset: stream.offset, epoch: stream.epoch };
  }

  async since(room: string, since: StreamPosition): Promise<Stored<D>[] | null> {
    const stream = this.streams.get(room);
    if (!stream) return !this.dropped && since.epoch === this.unborn && since.offset === 0 ? [] : null;
    if (stream.epoch !== since.epoch || since.offset > stream.offset) return null;
    this.expire(stream);
    const missed = stream.offset - since.offset;
    if (missed === 0) return [];
    // Entries are contiguous and end at stream.offset: they hold all that was missed or not.
    if (missed > stream.entries.length) return null;
    return stream.entries.slice(stream.entries.length - missed);
  }

  async page(room: string, limit: number, before?: number): Promise<StreamPage<D>> {
    const stream = this.existing(room);
    this.expire(stream);
    const older = before === undefined ? stream.entries : stream.entries.filter((e) => e.data.offset < before);
    const messages = older.slice(Math.max(0, older.length - limit)).map((e) => e.data);
    return { offset: stream.offset, epoch: stream.epoch, messages };
  }

  async at(room: string, position: StreamPosition): Promise<D | null> {
    const stream = this.streams.get(room);
    if (!stream || stream.epoch !== position.epoch || position.offset < 1 || position.offset > stream.offset) return null;
    this.expire(stream);
    // Entries are contiguous and end at stream.offset.
    return stream.entries[stream.entries.length - 1 - (stream.offset - position.offset)]?.data ?? null;
  }

  expireAll(): void {
    for (const stream of this.streams.values()) this.expire(stream);
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** The stream, or, while no stream was dropped, a transient empty one at the unborn epoch (not stored). */
  private existing(room: string): Stream<D> {
    return this.streams.get(room) ?? (this.dropped ? this.streamOf(room) : new Stream<D>(this.unborn));
  }

  private streamOf(room: string): Stream<D> {
    let stream = this.streams.get(room);
    if (!stream) {
      stream = new Stream<D>(this.dropped ? newEpoch() : this.unborn);
      this.streams.set(room, stream);
      this.totalBytes += stream.bytes;
      this.enforceCap();
    }
    return stream;
  }

  /** Moves the room to the most-recently-published end of the Map. */
  private touch(room: string): Stream<D> {
    const stream = this.streamOf(room);
    this.streams.delete(room);
    this.streams.set(room, stream);
    return stream;
  }

  private expire(stream: Stream<D>): void {
    const now = this.now();
    while (stream.entries.length > 0 && stream.entries[0].expiresAt <= now) {
      this.resize(stream, -stream.entries.shift()!.frame.length);
    }
  }

  private resize(stream: Stream<D>, delta: number): void {
    stream.bytes += delta;
    this.totalBytes += delta;
  }

  private enforceCap(): void {
    for (const [room, stream] of this.streams) {
      if (this.totalBytes <= this.limits.maxBytes || this.streams.size === 1) break;
      this.streams.delete(room);
      this.totalBytes -= stream.bytes;
      this.dropped = true;
    }
  }
}

/** The embedded HistoryStore: the room key space. */
export class InMemoryHistoryStore extends InMemoryStreamStore<NewRoomMessage, RoomMessageData> implements LocalHistoryStore {
  constructor(limits: LocalHistoryLimits, now: () => number = Date.now) {
    super(ROOM_STREAMS, limits, now);
  }

  override async page(room: string, limit: number, before?: number): Promise<HistoryPage> {
    const { offset, epoch, messages } = await super.page(room, limit, before);
    return { room, offset, epoch, messages };
  }
}
