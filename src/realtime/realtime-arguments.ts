import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, ROOM_NAME_PATTERN, USER_ID_MAX_LENGTH } from '../protocol';
import { RealtimeError } from './realtime-error';
import type { HistoryQuery } from './realtime.types';

/** The arguments of RealtimeService, checked with the rules of the protocol and the admin API. */

export function checkRoom(room: unknown): asserts room is string {
  if (typeof room !== 'string' || !ROOM_NAME_PATTERN.test(room)) throw new RealtimeError('INVALID_ROOM', 'room must be 1-128 characters of A-Z a-z 0-9 : _ . -');
}

export function checkUser(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId.length < 1 || userId.length > USER_ID_MAX_LENGTH) {
    throw new RealtimeError('INVALID_USER', `userId must be a string of 1-${USER_ID_MAX_LENGTH} characters`);
  }
}

/**
 * Measured as the admin API's body parser measures `POST {"body": ...}` (compact JSON), so a body
 * the admin API accepts is accepted here too.
 */
export function checkBody(body: unknown, maxPayloadBytes: number): void {
  if (body === undefined) throw new RealtimeError('INVALID_BODY', 'body is required (any JSON value)');
  let json: string;
  try {
    json = JSON.stringify({ body });
  } catch (err) {
    throw new RealtimeError('INVALID_BODY', `body cannot be encoded as JSON: ${(err as Error).message}`);
  }
  if (Buffer.byteLength(json) > maxPayloadBytes) throw new RealtimeError('PAYLOAD_TOO_LARGE', `body over MAX_PAYLOAD_BYTES (${maxPayloadBytes})`);
}

/** 1000 (normal closure) or an application code, 4000-4999 (docs/protocol.md: 4500+ means "do not reconnect"). */
export function checkCloseCode(code: number | undefined): void {
  if (code === undefined || code === 1000 || (Number.isInteger(code) && code >= 4000 && code <= 4999)) return;
  throw new RealtimeError('INVALID_CODE', 'code must be 1000 or 4000-4999');
}

export function checkHistoryQuery({ limit = HISTORY_PAGE_DEFAULT, before }: HistoryQuery): { limit: number; before?: number } {
  if (!Number.isInteger(limit) || limit < 0 || limit > HISTORY_PAGE_MAX) throw new RealtimeError('INVALID_PAGE', `limit must be an integer 0-${HISTORY_PAGE_MAX}`);
  if (before !== undefined && !(Number.isInteger(before) && before >= 1)) throw new RealtimeError('INVALID_PAGE', 'before must be an integer >= 1');
  return { limit, before };
}
