import { TestHandlersModule } from '../support/modules/throwing.module';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, TestClient } from '../support/ws-client';

describe('typed messages: parse -> validate -> dispatch -> reply or error frame', () => {
  let server: TestServer;
  let client: TestClient;

  beforeAll(async () => {
    server = await startServer({ MAX_JSON_DEPTH: '8', RATE_LIMIT_PER_SEC: '1000', RATE_LIMIT_BURST: '1000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000' }, [TestHandlersModule]);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    client = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice', rooms: ['public:*', 'team:a'] }) });
  });
  afterEach(() => client.close());

  const errorFor = async (raw: string) => {
    client.sendRaw(raw);
    return client.next((f) => f.type === 'error' && !client.frames.slice(0, -1).includes(f));
  };

  it('answers ping with pong carrying the request id', async () => {
    expect(await client.request('ping', undefined, 'p1')).toEqual({ type: 'pong', id: 'p1' });
  });

  it.each([
    ['unparsable JSON', 'BAD_JSON', undefined, '{"type":'],
    ['a JSON array', 'BAD_ENVELOPE', undefined, '[1,2]'],
    ['a JSON string', 'BAD_ENVELOPE', undefined, '"ping"'],
    ['a missing type', 'BAD_ENVELOPE', 'e1', '{"id":"e1","data":{}}'],
    ['a numeric type', 'BAD_ENVELOPE', 'e2', '{"type":5,"id":"e2"}'],
    ['data that is an array', 'BAD_ENVELOPE', 'e3', '{"type":"ping","id":"e3","data":[]}'],
    ['an unknown top-level field', 'BAD_ENVELOPE', 'e4', '{"type":"ping","id":"e4","payload":{}}'],
    ['a numeric id', 'BAD_ENVELOPE', undefined, '{"type":"ping","id":7}'],
    ['nesting deeper than MAX_JSON_DEPTH', 'BAD_ENVELOPE', 'e5', `{"type":"room.publish","id":"e5","data":{"room":"public:a","body":${'['.repeat(20)}${']'.repeat(20)}}}`],
    ['a __proto__ key', 'BAD_ENVELOPE', 'e6', '{"type":"room.publish","id":"e6","data":{"room":"public:a","body":{"__proto__":{"polluted":1}}}}'],
    ['an unknown type', 'UNKNOWN_TYPE', 'e7', '{"type":"no.such.type","id":"e7"}'],
    ['a bad room name', 'VALIDATION_FAILED', 'e8', '{"type":"room.join","id":"e8","data":{"room":"no spaces"}}'],
    ['a missing field', 'VALIDATION_FAILED', 'e9', '{"type":"room.publish","id":"e9","data":{"room":"public:a"}}'],
    ['an unknown data field', 'VALIDATION_FAILED', 'e10', '{"type":"ping","id":"e10","data":{"x":1}}'],
    ['a room outside the token', 'FORBIDDEN', 'e11', '{"type":"room.join","id":"e11","data":{"room":"private:x"}}'],
    ['a handler that throws', 'INTERNAL', 'e12', '{"type":"test.throw","id":"e12","data":{"text":"x"}}'],
    ['a handler that rejects', 'INTERNAL', 'e13', '{"type":"test.reject","id":"e13","data":{"text":"x"}}'],
    ['a guard that refuses', 'FORBIDDEN', 'e14', '{"type":"test.guarded","id":"e14","data":{"text":"x"}}'],
  ])('answers %s with %s and keeps the connection', async (_name, code, id, raw) => {
    const error = await errorFor(raw);
    expect(error.data.code).toBe(code);
    expect(error.id).toBe(id);
    expect(typeof error.data.message).toBe('string');
    expect(await client.request('ping')).toMatchObject({ type: 'pong' });
  });

  it('reports validation failures per field', async () => {
    const reply = await client.request('room.publish', { room: 'bad room', extra: 1 });
    expect(reply.data.code).toBe('VALIDATION_FAILED');
    expect(reply.data.details).toEqual(
      expect.arrayContaining([
        { field: 'room', constraints: [expect.stringContaining('room must be')] },
        { field: 'body', constraints: [expect.stringContaining('body is required')] },
        { field: '*', constraints: ['unknown property; accepted: body, room'] },
      ]),
    );
  });

  it('never echoes the client payload in an error frame', async () => {
    const marker = 'SECRET-MARKER-7f3a';
    const probes = [
      `{"type":"${marker}","id":"m1"}`,
      `{"type":"room.join","id":"m2","data":{"room":"${marker} x"}}`,
      `{"type":"ping","id":"m3","data":{"${marker}":1}}`,
      `{"type":"test.throw","id":"m4","data":{"text":"${marker}"}}`,
      `{"${marker}":1}`,
      `${marker}`,
    ];
    for (const probe of probes) client.sendRaw(probe);
    await client.request('ping', undefined, 'done');
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors).toHaveLength(probes.length);
    expect(JSON.stringify(errors)).not.toContain(marker);
  });

  it('dispatches a type registered by an extension module, with validation', async () => {
    expect(await client.request('test.echo', { text: 'hi' })).toMatchObject({ type: 'ack', data: { text: 'hi', userId: 'alice' } });
    expect((await client.request('test.echo', { text: 5 })).data.code).toBe('VALIDATION_FAILED');
  });

  it('keeps other clients unaffected by a client sending garbage', async () => {
    const other = await connect(server.wsUrl, { token: await mintToken({ sub: 'bob' }) });
    for (let i = 0; i < 50; i++) client.sendRaw(i % 2 ? '{"type":"test.throw","data":{"text":"x"}}' : '\u0000garbage');
    expect(await other.request('ping')).toMatchObject({ type: 'pong' });
    await other.close();
  });
});
