import fc from 'fast-check';

/** Every string the generators produce contains this, so an echo of client input is easy to spot. */
export const CANARY = 'CANARY';

const json = (value: unknown) => JSON.stringify(value);

/** Strings with a canary: plain, full Unicode, and with lone surrogates (\ud800 written as a JSON escape). */
const hostileString = fc
  .oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('\ud800', '\udfff', 'a\udc00b', '\ud83d'))
  .map((s) => json(`${CANARY}${s}`));

/** Numbers JSON.stringify would never write: JSON.parse turns them into Infinity, 0 or lossy values. */
const hostileNumber = fc.constantFrom('1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-0', '0.1e999999', '9007199254740993');

const scalar = fc.oneof(hostileString, hostileNumber, fc.integer().map(json), fc.double().map(json), fc.constantFrom('true', 'false', 'null'));

const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__').map(json),
  fc.constantFrom('room', 'body', 'to', 'since', 'offset', 'epoch', 'limit', 'before', 'token', 'text', 'typing').map(json),
  hostileString,
);

/** Any JSON text, built as text so it can hold what JSON.stringify cannot (duplicate and __proto__ keys, 1e400). */
const { value } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`),
  ),
}));

const deep = fc.integer({ min: 30, max: 3000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const validRoom = fc.constantFrom('public:lobby', 'public:fuzz', 'private:nope').map(json);
const dataObject = fc
  .array(fc.tuple(key, fc.oneof(value, validRoom, deep)), { maxLength: 4 })
  .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`);

const TYPES = ['ping', 'room.join', 'room.leave', 'room.publish', 'direct.send', 'presence.get', 'room.history', 'typing', 'auth.refresh'];
const type = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TYPES).map(json) },
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'x'.repeat(65)).map(json),
  hostileString,
  scalar,
);

/** Mostly bad ids (never echoed); a canary string of 1-128 characters is a valid id and is echoed. */
const badId = fc.oneof(fc.constantFrom('""', json('i'.repeat(129)), json('i'.repeat(20_000)), '7', 'null', '1e400', '{}', '[]'), scalar);

export interface HostileFrame {
  text: string;
}

/** An envelope-shaped (or not) text frame; `n` makes the good ids unique. */
export const hostileFrame = (n: () => number): fc.Arbitrary<HostileFrame> =>
  fc.oneof(
    { weight: 6, arbitrary: fc
      .record(
        { type, data: fc.oneof(dataObject, value), id: fc.oneof(fc.constant('good'), badId), extra: fc.tuple(key, value) },
        { requiredKeys: ['type'] },
      )
      .map(({ type: t, data, id, extra }) => {
        const goodId = id === 'good' ? `id-${n()}` : undefined;
        const parts = [`"type":${t}`];
        if (data !== undefined) parts.push(`"data":${data}`);
        if (id !== undefined) parts.push(`"id":${goodId ? json(goodId) : id}`);
        if (extra) parts.push(`${extra[0]}:${extra[1]}`);
        return { text: `{${parts.join(',')}}` };
      }) },
    value.map((text) => ({ text })),
    fc.string({ maxLength: 40 }).map((s) => ({ text: `${CANARY}${s}` })),
  );

/** The error codes docs/protocol.md section 4 lists. */
export const DOCUMENTED_ERROR_CODES = ['BAD_JSON', 'BAD_ENVELOPE', 'RATE_LIMITED', 'UNKNOWN_TYPE', 'VALIDATION_FAILED', 'FORBIDDEN', 'UNAVAILABLE', 'INTERNAL'];
