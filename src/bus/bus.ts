import type { Stored, StoredMessage } from '../history/history-store';
import type { DirectMessageData } from '../protocol';

/** What a node does with what reaches it through the bus (implemented by BusDeliveryService). */
export interface BusListener {
  /** A stored room message, in the room's offset order. */
  roomMessage(room: string, offset: number, epoch: string, frame: Buffer): void;
  /** A room frame outside the stream (presence, typing), to every member but `exceptSessionId`. */
  roomEvent(room: string, frame: Buffer, exceptSessionId?: string): void;
  /** A frame for the user's sessions outside the user's stream. */
  userFrame(userId: string, frame: Buffer): void;
  /** A direct message stored in the user's stream, in the stream's offset order (docs/protocol.md, section 10.1). */
  userMessage(userId: string, offset: number, epoch: string, frame: Buffer): void;
  allFrame(frame: Buffer): void;
  /** Close the session with `code` (undefined: 4503, kicked). */
  kick(sessionId: string, code?: number): void;
  /** The bus lost and regained its subscription: messages may have been missed meanwhile. */
  resubscribed(): void;
}

/** What one node tells every node (itself included) to do; JSON on the bus. */
export type ControlMessage =
  /** Refuse these tokens until `untilMs` and close their live sessions (4503). */
  | { type: 'revoke'; userId?: string; jti?: string; untilMs: number }
  /** Take the user's sessions out of the room, as a room.leave would. */
  | { type: 'remove-member'; room: string; userId: string };

export type ControlHandler = (message: ControlMessage) => void;

/** What a node subscribes by interest: a room (its messages and events) or a user (direct frames). */
export type InterestKind = 'room' | 'user';

/**
 * Cross-node delivery. Every frame goes through the bus, the sender's own node included, so each
 * node delivers it once and all nodes see a room in the same order. Implementations: in memory
 * (one node) and Redis pub/sub (at most once: BusDeliveryService detects gaps through offsets).
 *
 * Both buses: roomEvent, toUser and toAll reach the listener of every node, the sender's included,
 * with the frame byte for byte (any bytes, `|` included) and `exceptSessionId` as given (undefined
 * when not given); kick reaches only node `nodeId`'s listener (no other node: nowhere), with `code` as given; a stored
 * message reaches every listener's roomMessage with its offset, epoch and frame, in offset order;
 * control reaches every control handler of every node, as the same JSON value; a handler that
 * throws keeps the message from no other handler and is logged, never thrown to the sender.
 * Where they differ, by nature:
 * - In memory, delivery happens within the call, before its promise resolves, and is never lost.
 *   On Redis it arrives later, at most once: what is published while a node is disconnected is
 *   lost to it (then its listener's resubscribed() is called), and a publish while Redis is
 *   unreachable rejects.
 * - On Redis a stored message is published by RedisHistoryStore's append script, so messageStored
 *   does nothing: the Redis bus delivers room messages only with the Redis history store.
 * - On Redis a node receives a room's messages and events, and a user's frames, only while it has
 *   declared interest (interest, then subscribed resolved); broadcasts, kicks and control messages
 *   always. In memory every node is the only one, and interest changes nothing.
 */
export interface Bus {
  listen(listener: BusListener): void;
  /** Deliver a message HistoryStore.append just stored (the Redis store's script already published it). */
  messageStored(room: string, stored: StoredMessage): void;
  /** Deliver a direct message the user stream store just stored (on Redis its append script already published it). */
  userMessageStored(userId: string, stored: Stored<DirectMessageData>): void;
  roomEvent(room: string, frame: Buffer, exceptSessionId?: string): Promise<void>;
  toUser(userId: string, frame: Buffer): Promise<void>;
  toAll(frame: Buffer): Promise<void>;
  kick(nodeId: string, sessionId: string, code?: number): Promise<void>;
  /** To every node's control handlers, this node's included (at most once on Redis: pair it with a stored state). */
  control(message: ControlMessage): Promise<void>;
  onControl(handler: ControlHandler): void;
  /** From now on this node wants the room's or user's frames (idempotent; BusDeliveryService calls it on the first local session). */
  interest(kind: InterestKind, key: string): void;
  /**
   * Resolves once everything published to the room or user from now on reaches this node's
   * listener (at once when it already does), after interest(); rejects while the bus cannot
   * subscribe. A join awaits it before it reads the room's position.
   */
  subscribed(kind: InterestKind, key: string): Promise<void>;
  /** No local session needs them any more: the bus may stop receiving them (lazily). */
  disinterest(kind: InterestKind, key: string): void;
}

export const BUS = Symbol('BUS');
