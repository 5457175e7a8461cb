import type { ChannelNames } from '../bus/bus-codec';
import { HistoryPage, RoomMessageData, StreamPosition } from '../protocol';

/** A message as stored in a stream: its data (with its position) and its frame, encoded once. */
export interface Stored<D extends StreamPosition> {
  data: D;
  frame: Buffer;
}

/** A room message as stored: its data and its `message` frame. */
export type StoredMessage = Stored<RoomMessageData>;

/** A page of a stream: its position and messages in ascending offset order. */
export interface StreamPage<D extends StreamPosition> extends StreamPosition {
  messages: D[];
}

/**
 * What differs between two key spaces of streams (rooms, users: src/history/user-streams.ts); the
 * stores themselves are the same code. `N` is a new message, `D` its stored data.
 */
export interface StreamKind<N, D extends StreamPosition> {
  /** The `type` of a stored message's frame. */
  readonly frameType: string;
  /** The stored data at its position: `message` followed by `offset` and `epoch`, in the frame's key order. */
  data(message: N, offset: number, epoch: string): D;
  /** Redis: the stream's meta hash and log list, in one hash slot. */
  redisKeys(key: string): [string, string];
  /** Redis: the channel the append script publishes to, in the keys' slot on a Cluster. */
  channel(names: ChannelNames, key: string): string;
}

export type NewRoomMessage = Omit<RoomMessageData, 'offset' | 'epoch'>;

/**
 * The stored data of a new message at its position. An explicit literal on purpose: on V8 an object
 * spread followed by more properties (`{ ...message, offset, epoch }`) costs ~3.5 us per message
 * and makes the result slower to encode (docs/performance.md, finding 3). The key order is the
 * frame's.
 */
export function roomMessageData(message: NewRoomMessage, offset: number, epoch: string): RoomMessageData {
  return { room: message.room, messageId: message.messageId, from: message.from, body: message.body, ts: message.ts, offset, epoch };
}

/**
 * Per-room append-only message streams, the basis of recovery.
 *
 * Guarantees every implementation must keep (checked by the HistoryStore contract tests):
 * - `append` assigns offsets 1, 2, 3... per room, atomically with storing: two appends never get
 *   the same offset, and a message whose append resolved can be read back until it expires.
 * - The epoch changes whenever the stream's past is lost (restart of a store without persistence,
 *   eviction); offsets only have meaning together with their epoch.
 * - `since` never returns a partial answer: either every message after the position, in order,
 *   or null (epoch changed, a message after it expired or was trimmed, or the offset is ahead).
 * - A room keeps at most `sizePerRoom` messages, none longer than `ttlMs` after its append.
 * What bounds the total differs by driver: see LocalHistoryStore and SharedHistoryStore.
 */
export interface MessageStreams<N = NewRoomMessage, D extends StreamPosition = RoomMessageData> {
  append(key: string, message: N): Promise<Stored<D>>;
  /** The current position; a stream never seen gets a new stream at offset 0. */
  position(key: string): Promise<StreamPosition>;
  /** Every message after `since`, or null when the stream cannot prove it has them all. */
  since(key: string, since: StreamPosition): Promise<Stored<D>[] | null>;
  /** Up to `limit` of the newest messages with offset < `before` (all when absent), ascending. */
  page(key: string, limit: number, before?: number): Promise<StreamPage<D>>;
  /**
   * The message stored at exactly this position, or null: another epoch, an offset the stream never
   * gave out, or one expired or trimmed. Never creates a stream. (Receipts check a message with it.)
   */
  at(key: string, position: StreamPosition): Promise<D | null>;
}

/** The room key space: `message` frames, keys `rg:h:{<room>}:*`, published on the room's channel. */
export const ROOM_STREAMS: StreamKind<NewRoomMessage, RoomMessageData> = {
  frameType: 'message',
  data: roomMessageData,
  redisKeys: (room) => [`rg:h:{${room}}:meta`, `rg:h:{${room}}:log`],
  channel: (names, room) => names.room(room),
};

/**
 * The streams in this process's memory (one node). All of them hold at most `maxBytes` (the frames
 * plus a fixed overhead per stream): past it, whole streams are evicted, the least recently
 * published first, and start again with a new epoch (the one being appended to is never evicted).
 * An idle stream is never read, so its expired messages stay until expireAll(), which HistoryModule
 * calls periodically; `bytes` and `streamCount` are this process's memory, for /metrics.
 */
export interface LocalStreams<N = NewRoomMessage, D extends StreamPosition = RoomMessageData> extends MessageStreams<N, D> {
  readonly sharedAcrossNodes: false;
  readonly bytes: number;
  readonly streamCount: number;
  expireAll(): void;
}

/** Rooms: HistoryStore's page names its room. */
export interface LocalHistoryStore extends LocalStreams {
  page(room: string, limit: number, before?: number): Promise<HistoryPage>;
}

/**
 * The streams on Redis, shared by every node. Redis expires messages by itself and holds their
 * memory, so there is no byte cap here (HISTORY_MAX_BYTES is not read): a total over every room
 * would be one key that all appends touch, across cluster slots. Every key it writes has a TTL,
 * so Redis's maxmemory with a volatile-* policy bounds it; an evicted stream gets a new epoch.
 */
export interface SharedStreams<N = NewRoomMessage, D extends StreamPosition = RoomMessageData> extends MessageStreams<N, D> {
  readonly sharedAcrossNodes: true;
}

export interface SharedHistoryStore extends SharedStreams {
  page(room: string, limit: number, before?: number): Promise<HistoryPage>;
}

export type HistoryStore = LocalHistoryStore | SharedHistoryStore;

export const HISTORY_STORE = Symbol('HISTORY_STORE');

export interface HistoryLimits {
  /** Messages kept per stream (room or user). */
  sizePerRoom: number;
  /** How long a message is kept after it was published. */
  ttlMs: number;
}

/** The in-memory store's limits: it also caps its total. */
export interface LocalHistoryLimits extends HistoryLimits {
  /** Total bytes of all streams; the least recently published streams are evicted first. */
  maxBytes: number;
}
