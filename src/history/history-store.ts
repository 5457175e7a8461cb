import { HistoryPage, RoomMessageData, StreamPosition } from '../protocol';

/** A room message as stored: its data and its `message` frame, encoded once. */
export interface StoredMessage {
  data: RoomMessageData;
  frame: Buffer;
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
interface MessageStreams {
  append(room: string, message: NewRoomMessage): Promise<StoredMessage>;
  /** The current position; a room never seen gets a new stream at offset 0. */
  position(room: string): Promise<StreamPosition>;
  /** Every message after `since`, or null when the stream cannot prove it has them all. */
  since(room: string, since: StreamPosition): Promise<StoredMessage[] | null>;
  /** Up to `limit` of the newest messages with offset < `before` (all when absent), ascending. */
  page(room: string, limit: number, before?: number): Promise<HistoryPage>;
}

/**
 * The streams in this process's memory (one node). All of them hold at most `maxBytes` (the frames
 * plus a fixed overhead per stream): past it, whole streams are evicted, the least recently
 * published first, and start again with a new epoch (the one being appended to is never evicted).
 * An idle stream is never read, so its expired messages stay until expireAll(), which HistoryModule
 * calls periodically; `bytes` and `streamCount` are this process's memory, for /metrics.
 */
export interface LocalHistoryStore extends MessageStreams {
  readonly sharedAcrossNodes: false;
  readonly bytes: number;
  readonly streamCount: number;
  expireAll(): void;
}

/**
 * The streams on Redis, shared by every node. Redis expires messages by itself and holds their
 * memory, so there is no byte cap here (HISTORY_MAX_BYTES is not read): a total over every room
 * would be one key that all appends touch, across cluster slots. Every key it writes has a TTL,
 * so Redis's maxmemory with a volatile-* policy bounds it; an evicted stream gets a new epoch.
 */
export interface SharedHistoryStore extends MessageStreams {
  readonly sharedAcrossNodes: true;
}

export type HistoryStore = LocalHistoryStore | SharedHistoryStore;

export const HISTORY_STORE = Symbol('HISTORY_STORE');

export interface HistoryLimits {
  /** Messages kept per room. */
  sizePerRoom: number;
  /** How long a message is kept after it was published. */
  ttlMs: number;
}

/** The in-memory store's limits: it also caps its total. */
export interface LocalHistoryLimits extends HistoryLimits {
  /** Total bytes of all streams; the least recently published streams are evicted first. */
  maxBytes: number;
}
