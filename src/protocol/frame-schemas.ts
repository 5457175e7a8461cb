import { ErrorData, ErrorDetail } from './envelope';
import { ErrorCode } from './error-codes';
import {
  AuthRefreshAck,
  BroadcastData,
  ClientMessageType,
  DirectAck,
  DirectMessageData,
  HistoryPage,
  JoinAck,
  LeaveAck,
  PresenceAck,
  PresenceEventData,
  PresenceMember,
  PublishAck,
  ReceiptAck,
  ReceiptData,
  ReceiptState,
  RoomMessageData,
  ServerMessageType,
  StreamPosition,
  SYSTEM_SENDER,
  UserRecoverAck,
  WelcomeData,
} from './messages';

/**
 * JSON Schemas of the server's frames (`data` of each server-to-client type), for the AsyncAPI
 * document (src/asyncapi). The interfaces of messages.ts stay the source: each schema is written
 * through `object<T>()`, whose argument must name every property of T, required exactly where T
 * requires it, so `npm run typecheck` fails when an interface and its schema part.
 * What the compiler cannot see (a string that should be an integer) is the schema author's.
 */
export type JsonSchema = { [keyword: string]: unknown };

type ClientType = (typeof ClientMessageType)[keyof typeof ClientMessageType];
type ServerType = (typeof ServerMessageType)[keyof typeof ServerMessageType];

interface Field<Optional extends boolean> {
  readonly schema: JsonSchema;
  readonly optional: Optional;
}

const req = (schema: JsonSchema): Field<false> => ({ schema, optional: false });
const opt = (schema: JsonSchema): Field<true> => ({ schema, optional: true });

/** One entry per property of T: opt() for optional ones, req() for the others. */
type Fields<T> = { [K in keyof T]-?: object extends Pick<T, K> ? Field<true> : Field<false> };

function object<T>(fields: Fields<T>, description?: string): JsonSchema {
  const entries = Object.entries(fields) as [string, Field<boolean>][];
  const required = entries.filter(([, field]) => !field.optional).map(([name]) => name);
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties: Object.fromEntries(entries.map(([name, field]) => [name, field.schema])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

const string = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });
const integer = (description?: string): JsonSchema => ({ type: 'integer', ...(description ? { description } : {}) });
const anyJson = (description = 'any JSON value, null included'): JsonSchema => ({ description });

const position: Fields<StreamPosition> = {
  offset: req({ type: 'integer', minimum: 0, description: "the offset of the room's last message (0: none yet)" }),
  epoch: req(string("the room stream's epoch: changes when its past is lost")),
};

const roomMessage = object<RoomMessageData>({
  room: req(string()),
  messageId: req(string('UUID')),
  from: req(string("the sender's `sub` (`system`: the admin API)")),
  body: req(anyJson()),
  ts: req(integer('server time, ms since the epoch')),
  ...position,
});

const unstored = (from: JsonSchema) => ({ from: req(from), body: req(anyJson()), messageId: req(string('UUID')), ts: req(integer('server time, ms since the epoch')) });

const userPosition: Fields<StreamPosition> = {
  offset: req({ type: 'integer', minimum: 0, description: "the offset in the recipient's stream (0: none yet)" }),
  epoch: req(string("the user stream's epoch: changes when its past is lost")),
};

const direct = object<DirectMessageData>({ ...unstored(string("the sender's `sub` (`system`: the admin API)")), ...userPosition });

const receiptState: JsonSchema = { type: 'string', enum: Object.values(ReceiptState) };

const presenceEvent = object<PresenceEventData>({ room: req(string()), userId: req(string()), sessionId: req(string()) });

const errorDetail = object<ErrorDetail>({
  field: req(string('a declared property, by path (`since.epoch`), or `*` for the unknown ones')),
  constraints: req({ type: 'array', items: string() }),
});

/** `data` of the `error` frame; `codes` narrows `code` to those a type may get. */
export function errorDataSchema(codes: readonly string[] = Object.values(ErrorCode)): JsonSchema {
  return object<ErrorData>({
    code: req({ type: 'string', enum: [...codes] }),
    message: req(string('a fixed text: never echoes the payload')),
    details: opt({ type: 'array', items: errorDetail, description: 'only with VALIDATION_FAILED' }),
  });
}

/** `data` of the frames the server sends unasked (no `id`), by type. */
export const SERVER_EVENT_SCHEMAS: Record<Exclude<ServerType, 'ack' | 'error' | 'pong'>, JsonSchema> = {
  welcome: object<WelcomeData>(
    {
      sessionId: req(string('UUID of this connection')),
      userId: req(string("the token's `sub`")),
      heartbeatIntervalMs: req(integer()),
      heartbeatTimeoutMs: req(integer()),
      maxPayloadBytes: req(integer()),
      tokenExp: req(integer("the token's `exp`, seconds since the epoch")),
      tokenExpiresInMs: req(integer("the same, as ms from now by the server's clock")),
      userStream: opt({ ...object<StreamPosition>(userPosition), description: "the user's stream when this session was registered: live `direct` frames are those above it (absent: the store was unavailable)" }),
    },
    'the first frame of every accepted connection',
  ),
  message: roomMessage,
  direct,
  'presence.join': presenceEvent,
  'presence.leave': presenceEvent,
  broadcast: object<BroadcastData>(unstored({ type: 'string', const: SYSTEM_SENDER })),
  receipt: object<ReceiptData>(
    {
      messageId: req(string('the `messageId` of a direct message this user sent')),
      userId: req(string('its recipient, who sent the receipt')),
      state: req(receiptState),
      ts: req(integer('server time when it was forwarded, ms since the epoch')),
    },
    "to every session of the message's sender (docs/protocol.md, 3.12)",
  ),
};

/** `data` of the reply to each built-in type; undefined: the reply has no `data` (`pong`). */
export const REPLY_DATA_SCHEMAS: Record<ClientType, JsonSchema | undefined> = {
  ping: undefined,
  'room.join': object<JoinAck>({ room: req(string()), ...position, recovered: opt({ type: 'boolean', description: 'only when the join carried `since`' }) }),
  'room.leave': object<LeaveAck>({ room: req(string()) }),
  'room.publish': object<PublishAck>({ messageId: req(string('UUID')), ts: req(integer('server time, ms since the epoch')), ...position }),
  'direct.send': object<DirectAck>({ messageId: req(string('UUID')), delivered: req(integer("the recipient's sessions (0: offline)")) }),
  'presence.get': object<PresenceAck>({
    room: req(string()),
    members: req({ type: 'array', items: object<PresenceMember>({ userId: req(string()), sessionId: req(string()) }) }),
  }),
  'room.history': object<HistoryPage>({ room: req(string()), ...position, messages: req({ type: 'array', items: roomMessage, description: 'ascending offsets' }) }),
  'user.recover': object<UserRecoverAck>({ ...userPosition, recovered: req({ type: 'boolean', description: 'true: every missed message up to this position was written before this ack' }) }),
  'receipt.send': object<ReceiptAck>({
    messageId: req(string()),
    state: req(receiptState),
    forwarded: req({ type: 'boolean', description: 'false: already receipted in this state, or sent by `system`; nothing was forwarded' }),
  }),
  'auth.refresh': object<AuthRefreshAck>({ exp: req(integer("the new token's `exp`")), expiresInMs: req(integer()) }),
};
