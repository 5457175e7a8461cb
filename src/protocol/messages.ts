/**
 * The message map: the single source of truth for built-in message types and their payloads.
 * Server handlers, docs/protocol.md and clients build on these names.
 */
export const ClientMessageType = {
  Ping: 'ping',
  RoomJoin: 'room.join',
  RoomLeave: 'room.leave',
  RoomPublish: 'room.publish',
  DirectSend: 'direct.send',
  PresenceGet: 'presence.get',
  RoomHistory: 'room.history',
  AuthRefresh: 'auth.refresh',
  UserRecover: 'user.recover',
  ReceiptSend: 'receipt.send',
} as const;

export const ServerMessageType = {
  Welcome: 'welcome',
  Ack: 'ack',
  Error: 'error',
  Pong: 'pong',
  Message: 'message',
  Direct: 'direct',
  PresenceJoin: 'presence.join',
  PresenceLeave: 'presence.leave',
  /** An announcement to every session, from the admin API (`from` is always `system`). */
  Broadcast: 'broadcast',
  /** A recipient's client acknowledged a direct message this user sent (docs/protocol.md, 3.12). */
  Receipt: 'receipt',
} as const;

/** User id used as `from` for messages published through the admin API. */
export const SYSTEM_SENDER = 'system';

export interface WelcomeData {
  sessionId: string;
  userId: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  maxPayloadBytes: number;
  /** The connection's token `exp` (seconds since the epoch): the session closes with 4001 then unless `auth.refresh` extends it. */
  tokenExp: number;
  /** The same, as milliseconds from now by the server's clock (immune to the client's clock skew). */
  tokenExpiresInMs: number;
  /**
   * The user's stream (docs/protocol.md, section 10.1) when this session was registered: live
   * `direct` frames are exactly those above it; `user.recover` replays up to it. Absent when the
   * store could not be read.
   */
  userStream?: StreamPosition;
}

/** A room's position in its stream: the offset of its last message, and the stream's epoch. */
export interface StreamPosition {
  /** Per-room message counter: the first message is 1; 0 means no message yet. */
  offset: number;
  /** Changes whenever the stream's past is lost (restart of the in-memory store, eviction). */
  epoch: string;
}

export interface RoomMessageData extends StreamPosition {
  room: string;
  messageId: string;
  from: string;
  body: unknown;
  ts: number;
}

/** A direct message: its position in the recipient's stream (docs/protocol.md, section 10.1). */
export interface DirectMessageData extends StreamPosition {
  from: string;
  body: unknown;
  messageId: string;
  ts: number;
}

/** A direct message's fields without a position; `from` is `system`. */
export type BroadcastData = Omit<DirectMessageData, 'offset' | 'epoch'>;

export interface PresenceEventData {
  room: string;
  userId: string;
  sessionId: string;
}

export interface PresenceMember {
  userId: string;
  sessionId: string;
}

export interface PublishAck extends StreamPosition {
  messageId: string;
  ts: number;
}

/** `room.join` with `since` asks for the messages after that position. */
export interface RoomJoinRequest {
  room: string;
  since?: StreamPosition;
}

/**
 * `recovered` is present only when the join carried `since`: true when every message after it was
 * replayed (before this ack), false when none was (the client must resync).
 */
export interface JoinAck extends StreamPosition {
  room: string;
  recovered?: boolean;
}

export interface LeaveAck {
  room: string;
}

export interface RoomHistoryRequest {
  room: string;
  /** 1-100, default 50. */
  limit?: number;
  /** Only messages with a smaller offset: page backwards with the first offset of the last page. */
  before?: number;
}

/** Messages in ascending offset order. */
export interface HistoryPage extends StreamPosition {
  room: string;
  messages: RoomMessageData[];
}

export interface PresenceAck {
  room: string;
  members: PresenceMember[];
}

/** Limits of `room.history`. */
export const HISTORY_PAGE_DEFAULT = 50;
export const HISTORY_PAGE_MAX = 100;

/** The reply to `auth.refresh`: the connection now closes with 4001 at this `exp` instead. */
export interface AuthRefreshAck {
  /** The new token's `exp`, seconds since the epoch. */
  exp: number;
  /** The same, as milliseconds from now by the server's clock. */
  expiresInMs: number;
}

/** `user.recover` (docs/protocol.md, section 10.1): the missed direct messages after `since`. */
export interface UserRecoverRequest {
  since: StreamPosition;
}

/** The welcome's position; `recovered`: every message after `since` up to it was written before this ack. */
export interface UserRecoverAck extends StreamPosition {
  recovered: boolean;
}

export interface DirectAck {
  messageId: string;
  delivered: number;
}

/** How far a direct message got at its recipient: its client received it, or the user read it. */
export const ReceiptState = { Delivered: 'delivered', Read: 'read' } as const;
export type ReceiptState = (typeof ReceiptState)[keyof typeof ReceiptState];

/**
 * `receipt.send` (docs/protocol.md, 3.12): the recipient names a `direct` it received by its
 * `messageId` and its position in the recipient's own stream (`offset`, `epoch`, from the frame).
 */
export interface ReceiptSendRequest extends StreamPosition {
  messageId: string;
  state: ReceiptState;
}

/** `forwarded`: false when this state was already receipted for the message, or the sender is `system`. */
export interface ReceiptAck {
  messageId: string;
  state: ReceiptState;
  forwarded: boolean;
}

/** The `receipt` event, to every session of the message's sender: `userId` (the recipient) reached `state`. */
export interface ReceiptData {
  messageId: string;
  userId: string;
  state: ReceiptState;
  /** Server time when the receipt was forwarded, ms since the epoch. */
  ts: number;
}

/** User ids (a token's `sub`, the target of a direct message): 1-256 characters. */
export const USER_ID_MAX_LENGTH = 256;

/** Room names: 1-128 characters of [A-Za-z0-9:_.-]. */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9:_.-]{1,128}$/;
