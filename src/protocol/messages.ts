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
} as const;

/** User id used as `from` for messages published through the admin API. */
export const SYSTEM_SENDER = 'system';

export interface WelcomeData {
  sessionId: string;
  userId: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  maxPayloadBytes: number;
}

export interface RoomMessageData {
  room: string;
  messageId: string;
  from: string;
  body: unknown;
  ts: number;
}

export interface DirectMessageData {
  from: string;
  body: unknown;
  messageId: string;
  ts: number;
}

export interface PresenceEventData {
  room: string;
  userId: string;
  sessionId: string;
}

export interface PresenceMember {
  userId: string;
  sessionId: string;
}

export interface PublishAck {
  messageId: string;
  ts: number;
}

export interface DirectAck {
  messageId: string;
  delivered: number;
}

/** Room names: 1-128 characters of [A-Za-z0-9:_.-]. */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9:_.-]{1,128}$/;
