import fc from 'fast-check';
import { TestHandlersModule } from '../support/modules/throwing.module';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, Frame, TestClient } from '../support/ws-client';
import { CANARY, DOCUMENTED_ERROR_CODES, HostileFrame, hostileFrame } from './support/hostile-frames';

/**
 * Property-based fuzzing of the frame pipeline, in process (so prototype pollution would show on
 * this process's Object.prototype): every frame gets exactly one reply, errors only carry
 * documented codes and never the client's input, and nothing crashes or rejects unhandled.
 */
const REPLY_TYPES = new Set(['ack', 'pong', 'error']);
const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const snapshot = () => prototypes.map((p) => Object.getOwnPropertyNames(p).sort().join());

let server: TestServer;
let unhandled = 0;
const onUnhandled = () => unhandled++;
let counter = 0;
const nextId = () => ++counter;
const before = snapshot();

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  // The typing example too: its handler is among the fuzzed types.
  server = await startServer({ RATE_LIMIT_PER_SEC: '1000000', RATE_LIMIT_BURST: '1000000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000', EXAMPLES: 'typing' }, [TestHandlersModule]);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
});

const replies = (client: TestClient) => client.frames.filter((f) => REPLY_TYPES.has(f.type));

/** Sends the frames, waits for one reply each (and a sentinel), and returns the new replies. */
async function exchange(client: TestClient, frames: HostileFrame[]): Promise<Frame[]> {
  const start = replies(client).length;
  for (const f of frames) client.sendRaw(f.text);
  await waitFor(() => replies(client).length >= start + frames.length, 10000, 5);
  const sentinel = `sentinel-${nextId()}`;
  await client.request('ping', undefined, sentinel);
  const got = replies(client).slice(start);
  expect(got.pop()).toEqual({ type: 'pong', id: sentinel });
  return got;
}

/** The id a reply must echo (docs/protocol.md section 1): a string of 1-128 characters in an object frame. */
function echoedId(text: string): string | undefined {
  try {
    const frame = JSON.parse(text);
    const id = frame !== null && typeof frame === 'object' && !Array.isArray(frame) ? frame.id : undefined;
    return typeof id === 'string' && id.length >= 1 && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}

const countBy = (ids: (string | undefined)[]) => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string | undefined, number>());


function checkReplies(frames: HostileFrame[], got: Frame[]): void {
  expect(got).toHaveLength(frames.length);
  // As many replies carry each id (or none) as frames were sent with it.
  expect(countBy(got.map((r) => r.id))).toEqual(countBy(frames.map((f) => echoedId(f.text))));
  for (const reply of got) {
    if (reply.type !== 'error') continue;
    expect(DOCUMENTED_ERROR_CODES).toContain(reply.data.code);
    expect(typeof reply.data.message).toBe('string');
    expect(JSON.stringify({ ...reply, id: undefined })).not.toContain(CANARY);
  }
  // Nothing here runs a throwing handler: INTERNAL is a bug the fuzzer found.
  const internal = got.filter((r) => r.type === 'error' && r.data.code === 'INTERNAL').length;
  // (F1: a `constructor` key anywhere in `data` used to answer INTERNAL; it no longer does.)
  expect(internal).toBe(0);
}

describe('hostile envelopes (fast-check)', () => {
  it('answers thousands of generated frames once each, with documented errors and no echo', async () => {
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'fuzzer', rooms: ['public:*'] }) });
    let sent = 0;
    const frames = fc.array(hostileFrame(nextId), { minLength: 5, maxLength: 30 }).filter((fs) => fs.every((f) => f.text.length < 60_000));
    await fc.assert(
      fc.asyncProperty(frames, async (batch) => {
        sent += batch.length;
        checkReplies(batch, await exchange(client, batch));
      }),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20240601), endOnFailure: true },
    );
    expect(sent).toBeGreaterThan(2000);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    await client.close();
    process.stdout.write(`hostile envelopes: ${sent} frames, one reply each, no INTERNAL\n`);
  }, 120000);

  it('survives 5,000 generated frames sent at once, without waiting for replies', async () => {
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'burst', rooms: ['public:*'] }) });
    const batch = fc.sample(hostileFrame(nextId), { numRuns: 5000, seed: 7 }).filter((f) => f.text.length < 60_000);
    checkReplies(batch, await exchange(client, batch));
    await client.close();
  }, 60000);

  it('leaves no prototype polluted and no promise rejected unhandled', () => {
    expect(snapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(unhandled).toBe(0);
  });
});

describe('F1 and F3 regressions: keys named like Object.prototype members', () => {
  it('is acked and delivered as sent', async () => {
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'builder' }) });
    await client.request('room.join', { room: 'public:f1' });
    const body = { constructor: 'Bob', nested: { constructor: { prototype: 1 } } };
    expect((await client.request('room.publish', { room: 'public:f1', body })).type).toBe('ack');
    expect((await client.nextOfType('message')).data.body).toEqual(body);
    await client.close();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['room.join', { room: 'public:f1', since: { offset: 0, epoch: 'e', constructor: 'Bob' } }, 'since.*'],
    ['room.join', { room: 'public:f1', constructor: { a: 1 } }, '*'],
    ['room.history', { room: 'public:f1', limit: { constructor: 1 } }, 'limit'],
    ['ping', { valueOf: 1 }, '*'],
    ['ping', { toString: 'x' }, '*'],
    ['room.leave', { room: 'public:f1', hasOwnProperty: true }, '*'],
  ])('%s with %j answers VALIDATION_FAILED on %s', async (type, data, field) => {
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'prototype-keys' }) });
    const reply = await client.request(type, data);
    expect(reply.type).toBe('error');
    expect(reply.data.code).toBe('VALIDATION_FAILED');
    expect(reply.data.details.map((d: { field: string }) => d.field)).toContain(field);
    await client.close();
  });
});

describe('throwing handlers', () => {
  it('answer INTERNAL without closing their connection or disturbing others', async () => {
    const clients = await Promise.all(['t1', 't2', 't3'].map(async (sub) => connect(server.wsUrl, { token: await mintToken({ sub }) })));
    for (let round = 0; round < 50; round++) {
      const results = await Promise.all(
        clients.map((c, i) => (i === 0 ? c.request(round % 2 ? 'test.throw' : 'test.reject', { text: `${CANARY}secret` }) : c.request('ping'))),
      );
      expect(results[0].data).toEqual({ code: 'INTERNAL', message: 'internal error' });
      expect(results.slice(1).map((r) => r.type)).toEqual(['pong', 'pong']);
    }
    for (const c of clients) expect(c.socket.readyState).toBe(c.socket.OPEN);
    expect(unhandled).toBe(0);
    await Promise.all(clients.map((c) => c.close()));
  }, 30000);
});
