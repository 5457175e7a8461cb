import { COMMON_ERROR_CODES, errorDataSchema, JsonSchema, MAX_ID_LENGTH, REPLY_DATA_SCHEMAS, SERVER_EVENT_SCHEMAS, ServerMessageType } from '../protocol';
import { DtoSchemas } from './dto-schemas';

/** What the document says of one client type: a RegisteredHandler's public part. */
export interface DocumentedType {
  type: string;
  dto: new () => object;
  replyType: string;
  errors: readonly string[];
}

export interface AsyncApiOptions {
  /** WS_PATH: the channel's address. */
  wsPath: string;
}

export type AsyncApiDocument = JsonSchema & { asyncapi: '3.0.0' };

const CHANNEL = 'realtime';
const channelRef = { $ref: `#/channels/${CHANNEL}` };
const messageRef = (key: string) => ({ $ref: `#/channels/${CHANNEL}/messages/${key}` });
const componentRef = (key: string) => ({ $ref: `#/components/messages/${key}` });

/** The keys of a client type's messages in `components.messages` (and the channel's). */
export const messageKeys = (type: string) => ({ request: type, reply: `${type}.reply`, error: `${type}.error` });
/** The key of a frame the server sends unasked. */
export const eventKey = (type: string) => `server.${type}`;

const ID = { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH, description: 'request id: echoed by the reply or error' };

/** `{type, id?, data?}`: the envelope of every frame, with the type fixed. */
function envelope(type: string, data: JsonSchema | undefined, { id, dataRequired }: { id: boolean; dataRequired: boolean }): JsonSchema {
  return {
    type: 'object',
    properties: { type: { type: 'string', const: type }, ...(id ? { id: ID } : {}), ...(data ? { data } : {}) },
    required: data && dataRequired ? ['type', 'data'] : ['type'],
    additionalProperties: false,
  };
}

/**
 * The AsyncAPI 3.0.0 document of the WebSocket protocol: one channel (the endpoint at WS_PATH);
 * for every registered client type, an operation the gateway receives whose message is the
 * envelope with `data` = the DTO's JSON Schema, and whose reply is the type's reply frame or an
 * `error` frame with the codes it may get; and the frames the gateway sends unasked (welcome,
 * message, presence.*, direct, broadcast, error). The document describes the gateway: `receive`
 * is what clients send, `send` what they receive.
 */
export function buildAsyncApiDocument(types: readonly DocumentedType[], options: AsyncApiOptions): AsyncApiDocument {
  const dtos = new DtoSchemas();
  const messages: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};

  for (const handler of [...types].sort((a, b) => a.type.localeCompare(b.type))) {
    const keys = messageKeys(handler.type);
    const errorCodes = [...COMMON_ERROR_CODES, ...handler.errors.filter((code) => !COMMON_ERROR_CODES.includes(code as never))];
    const replyData: JsonSchema | undefined =
      handler.type in REPLY_DATA_SCHEMAS ? REPLY_DATA_SCHEMAS[handler.type as keyof typeof REPLY_DATA_SCHEMAS] : { description: "the handler's return value" };
    messages[keys.request] = {
      name: handler.type,
      title: handler.type,
      summary: `\`${handler.type}\`: \`data\` is validated against ${handler.dto.name}; properties it does not declare are refused. A missing \`data\` counts as {}.`,
      payload: envelope(handler.type, dtos.ref(handler.dto), { id: true, dataRequired: false }),
    };
    messages[keys.reply] = {
      name: handler.replyType,
      title: `${handler.type} reply`,
      payload: envelope(handler.replyType, replyData, { id: true, dataRequired: true }),
    };
    messages[keys.error] = {
      name: ServerMessageType.Error,
      title: `${handler.type} error`,
      summary: `codes: ${errorCodes.join(', ')}`,
      payload: envelope(ServerMessageType.Error, errorDataSchema(errorCodes), { id: true, dataRequired: true }),
    };
    operations[`receive.${handler.type}`] = {
      action: 'receive',
      title: handler.type,
      channel: channelRef,
      messages: [messageRef(keys.request)],
      reply: { channel: channelRef, messages: [messageRef(keys.reply), messageRef(keys.error)] },
      'x-reply-type': handler.replyType,
      'x-error-codes': [...handler.errors],
    };
  }

  const events: Record<string, JsonSchema> = { ...SERVER_EVENT_SCHEMAS, [ServerMessageType.Error]: errorDataSchema() };
  for (const [type, data] of Object.entries(events)) {
    const error = type === ServerMessageType.Error;
    messages[eventKey(type)] = {
      name: type,
      title: type,
      ...(error ? { summary: 'an error answering a frame whose type is not known (BAD_JSON, BAD_ENVELOPE, RATE_LIMITED), with the id when it was readable' } : {}),
      payload: envelope(type, data, { id: error, dataRequired: true }),
    };
    operations[`send.${type}`] = { action: 'send', title: type, channel: channelRef, messages: [messageRef(eventKey(type))] };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'realtime-gateway WebSocket protocol',
      version: '1',
      description:
        'Every frame is a JSON text frame holding one envelope `{type, id?, data?}`. Generated at start from the registered message handlers ' +
        '(their DTOs, reply types and error codes): where docs/protocol.md and this document disagree, this document is what the server does.',
    },
    defaultContentType: 'application/json',
    channels: {
      [CHANNEL]: {
        address: options.wsPath,
        title: 'the WebSocket endpoint',
        messages: Object.fromEntries(Object.keys(messages).map((key) => [key, componentRef(key)])),
      },
    },
    operations,
    components: { messages, schemas: dtos.schemas },
    'x-common-error-codes': [...COMMON_ERROR_CODES],
  };
}
