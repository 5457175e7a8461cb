import { ClientEnvelope, ErrorCode, MAX_ID_LENGTH } from '../protocol';
import { MessageError } from '../messaging/message-error';
import { inspectJson } from './json-inspection';

const MAX_TYPE_LENGTH = 64;
const ENVELOPE_KEYS = new Set(['type', 'id', 'data']);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request id, when the frame carries a usable one: errors echo it so clients can match them. */
export function readId(frame: unknown): string | undefined {
  if (!isPlainObject(frame)) return undefined;
  const id = frame.id;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : undefined;
}

/** Validates the envelope shape of a parsed frame; throws BAD_ENVELOPE. */
export function readEnvelope(frame: unknown, maxDepth: number): ClientEnvelope {
  if (!isPlainObject(frame)) throw badEnvelope('a frame must be a JSON object {type, id?, data?}');
  for (const key of Object.keys(frame)) {
    if (!ENVELOPE_KEYS.has(key)) throw badEnvelope('unknown envelope field: only type, id and data are allowed');
  }
  const { type, id, data } = frame;
  if (id !== undefined && readId(frame) === undefined) {
    throw badEnvelope(`id must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE_LENGTH) {
    throw badEnvelope(`type must be a non-empty string of at most ${MAX_TYPE_LENGTH} characters`);
  }
  if (data !== undefined && !isPlainObject(data)) throw badEnvelope('data must be a JSON object');
  const problem = inspectJson(frame, maxDepth);
  if (problem === 'too-deep') throw badEnvelope(`frame nested deeper than ${maxDepth} levels`);
  if (problem === 'forbidden-key') throw badEnvelope('the key __proto__ is not allowed');
  return { type, id: id as string | undefined, data: data as Record<string, unknown> | undefined };
}

function badEnvelope(message: string): MessageError {
  return new MessageError(ErrorCode.BadEnvelope, message);
}
