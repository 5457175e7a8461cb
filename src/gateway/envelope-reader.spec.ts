import { MessageError } from '../messaging/message-error';
import { ErrorCode, MAX_ID_LENGTH } from '../protocol';
import { readEnvelope, readId } from './envelope-reader';

const MAX_DEPTH = 4;

/** The MessageError readEnvelope throws for frame, or fails the test. */
function envelopeError(frame: unknown, maxDepth = MAX_DEPTH): MessageError {
  try {
    readEnvelope(frame, maxDepth);
  } catch (err) {
    if (err instanceof MessageError) return err;
    throw err;
  }
  throw new Error(`readEnvelope accepted ${JSON.stringify(frame)}`);
}

describe('readEnvelope', () => {
  describe('accepted frames', () => {
    it.each<{ name: string; frame: Record<string, unknown> }>([
      { name: 'type only', frame: { type: 'ping' } },
      { name: 'type and id', frame: { type: 'ping', id: 'r1' } },
      { name: 'type, id and data', frame: { type: 'room.join', id: 'r1', data: { room: 'lobby' } } },
      { name: 'empty data', frame: { type: 'presence.get', data: {} } },
      { name: 'a 1-character type', frame: { type: 'x' } },
      { name: 'a 64-character type', frame: { type: 't'.repeat(64) } },
      { name: 'a 1-character id', frame: { type: 'ping', id: 'a' } },
      { name: `a ${MAX_ID_LENGTH}-character id`, frame: { type: 'ping', id: 'i'.repeat(MAX_ID_LENGTH) } },
      { name: 'data nested exactly to the max depth', frame: { type: 'x', data: { a: { b: {} } } } },
      { name: 'data with arrays exactly to the max depth', frame: { type: 'x', data: { a: [[1, 'two', null]] } } },
    ])('$name', ({ frame }) => {
      expect(readEnvelope(frame, MAX_DEPTH)).toEqual({ type: frame.type, id: frame.id, data: frame.data });
    });

    it('returns the data object itself, not a copy', () => {
      const data = { room: 'lobby' };
      expect(readEnvelope({ type: 'room.join', data }, MAX_DEPTH).data).toBe(data);
    });
  });

  describe('refused frames: BAD_ENVELOPE', () => {
    it.each<{ name: string; frame: unknown; message: RegExp }>([
      // not an object
      { name: 'an array', frame: [{ type: 'ping' }], message: /must be a JSON object/ },
      { name: 'a number', frame: 42, message: /must be a JSON object/ },
      { name: 'a string', frame: 'ping', message: /must be a JSON object/ },
      { name: 'null', frame: null, message: /must be a JSON object/ },
      { name: 'true', frame: true, message: /must be a JSON object/ },
      { name: 'undefined', frame: undefined, message: /must be a JSON object/ },
      // unknown top-level fields
      { name: 'an unknown field', frame: { type: 'ping', extra: 1 }, message: /unknown envelope field/ },
      { name: 'a look-alike field', frame: { type: 'ping', Data: {} }, message: /unknown envelope field/ },
      { name: 'an unknown field set to undefined', frame: { type: 'ping', extra: undefined }, message: /unknown envelope field/ },
      { name: 'a top-level __proto__', frame: JSON.parse('{"type":"ping","__proto__":{}}'), message: /unknown envelope field/ },
      // id
      { name: 'a numeric id', frame: { type: 'ping', id: 1 }, message: /id must be/ },
      { name: 'an empty id', frame: { type: 'ping', id: '' }, message: /id must be/ },
      { name: 'an id of 129 characters', frame: { type: 'ping', id: 'i'.repeat(MAX_ID_LENGTH + 1) }, message: /id must be/ },
      { name: 'a null id', frame: { type: 'ping', id: null }, message: /id must be/ },
      { name: 'an object id', frame: { type: 'ping', id: { a: 1 } }, message: /id must be/ },
      // type
      { name: 'a missing type', frame: { id: 'r1' }, message: /type must be/ },
      { name: 'a numeric type', frame: { type: 1 }, message: /type must be/ },
      { name: 'an empty type', frame: { type: '' }, message: /type must be/ },
      { name: 'a type of 65 characters', frame: { type: 't'.repeat(65) }, message: /type must be/ },
      { name: 'a null type', frame: { type: null }, message: /type must be/ },
      { name: 'an array type', frame: { type: ['ping'] }, message: /type must be/ },
      // data
      { name: 'array data', frame: { type: 'x', data: [] }, message: /data must be a JSON object/ },
      { name: 'string data', frame: { type: 'x', data: 'hello' }, message: /data must be a JSON object/ },
      { name: 'null data', frame: { type: 'x', data: null }, message: /data must be a JSON object/ },
      { name: 'numeric data', frame: { type: 'x', data: 0 }, message: /data must be a JSON object/ },
      // depth and __proto__
      { name: 'data one level past the max depth', frame: { type: 'x', data: { a: { b: { c: {} } } } }, message: /nested deeper than 4 levels/ },
      { name: 'arrays one level past the max depth', frame: { type: 'x', data: { a: [[[]]] } }, message: /nested deeper than 4 levels/ },
      { name: '__proto__ in data', frame: JSON.parse('{"type":"x","data":{"__proto__":{"admin":true}}}'), message: /__proto__/ },
      { name: '__proto__ deep in data', frame: JSON.parse('{"type":"x","data":{"a":[{"__proto__":1}]}}'), message: /__proto__/ },
    ])('$name', ({ frame, message }) => {
      const error = envelopeError(frame);
      expect(error.code).toBe(ErrorCode.BadEnvelope);
      expect(error.code).toBe('BAD_ENVELOPE');
      expect(error.message).toMatch(message);
      expect(error.details).toBeUndefined();
    });

    it('uses the maxDepth it is given', () => {
      const frame = { type: 'x', data: { a: { b: {} } } }; // depth 4
      expect(readEnvelope(frame, 4).data).toEqual({ a: { b: {} } });
      expect(envelopeError(frame, 3).message).toBe('frame nested deeper than 3 levels');
    });
  });
});

describe('readId', () => {
  it.each<{ name: string; frame: unknown; id: string | undefined }>([
    { name: 'a usable id', frame: { type: 'ping', id: 'r1' }, id: 'r1' },
    { name: `an id of ${MAX_ID_LENGTH} characters`, frame: { id: 'i'.repeat(MAX_ID_LENGTH) }, id: 'i'.repeat(MAX_ID_LENGTH) },
    // echoed even when the rest of the frame is bad, so the client can match the error
    { name: 'an id next to a bad type', frame: { type: 5, id: 'r2' }, id: 'r2' },
    { name: 'an id next to unknown fields', frame: { id: 'r3', extra: true }, id: 'r3' },
    { name: 'no id', frame: { type: 'ping' }, id: undefined },
    { name: 'an empty id', frame: { id: '' }, id: undefined },
    { name: `an id of ${MAX_ID_LENGTH + 1} characters`, frame: { id: 'i'.repeat(MAX_ID_LENGTH + 1) }, id: undefined },
    { name: 'a numeric id', frame: { id: 7 }, id: undefined },
    { name: 'a null id', frame: { id: null }, id: undefined },
    { name: 'an array frame', frame: [{ id: 'r1' }], id: undefined },
    { name: 'a string frame', frame: 'r1', id: undefined },
    { name: 'a null frame', frame: null, id: undefined },
    { name: 'a number frame', frame: 1, id: undefined },
  ])('$name -> $id', ({ frame, id }) => {
    expect(readId(frame)).toBe(id);
  });
});
