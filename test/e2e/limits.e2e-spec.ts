import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { serversPerTest, startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect } from '../support/ws-client';
import { waitFor } from '../support/wait-for';

describe('frame limits, rate limits and slow consumers', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ MAX_PAYLOAD_BYTES: '4096', RATE_LIMIT_PER_SEC: '5', RATE_LIMIT_BURST: '10' });
  });
  afterAll(() => server.close());

  it('closes with 1009 on a frame over MAX_PAYLOAD_BYTES', async () => {
    const client = await connect(server.wsUrl, { token: await mintToken() });
    client.sendRaw(JSON.stringify({ type: 'ping', data: { pad: 'x'.repeat(5000) } }));
    expect((await client.closed).code).toBe(1009);
  });

  it('accepts a frame of exactly MAX_PAYLOAD_BYTES', async () => {
    const client = await connect(server.wsUrl, { token: await mintToken() });
    const frame = JSON.stringify({ type: 'room.publish', id: 'big', data: { room: 'public:big', body: '' } });
    client.sendRaw(frame.replace('"body":""', `"body":"${'x'.repeat(4096 - frame.length)}"`));
    expect((await client.next((f) => f.id === 'big')).type).toBe('ack');
    await client.close();
  });

  it('closes with 1003 on a binary frame', async () => {
    const client = await connect(server.wsUrl, { token: await mintToken() });
    client.sendRaw(Buffer.from('{"type":"ping"}'), true);
    expect((await client.closed).code).toBe(1003);
  });

  it('answers RATE_LIMITED over the bucket and closes with 4009 under sustained abuse', async () => {
    const client = await connect(server.wsUrl, { token: await mintToken() });
    for (let i = 0; i < 15; i++) client.sendRaw(JSON.stringify({ type: 'ping', id: `f${i}` }));
    // Replies may come out of request order (protocol.md, 3: pipeline errors are sent while a frame
    // is read, pongs after): count them once all 15 are in. At least the burst of 10 passes; the rest
    // are refused, but for a token refilled (5/s) if the server was held up between frames.
    const replies = () => client.frames.filter((f) => f.id?.startsWith('f'));
    await waitFor(() => replies().length === 15);
    const pongs = replies().filter((f) => f.type === 'pong').length;
    expect(pongs).toBeGreaterThanOrEqual(10);
    expect(replies().filter((f) => f.type === 'error').map((f) => f.data.code)).toEqual(Array(15 - pongs).fill('RATE_LIMITED'));
    expect(15 - pongs).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 30; i++) client.sendRaw(JSON.stringify({ type: 'ping' }));
    expect((await client.closed).code).toBe(4009);
  });

  it('lets a rate-limited client continue once tokens refill', async () => {
    const client = await connect(server.wsUrl, { token: await mintToken() });
    for (let i = 0; i < 12; i++) client.sendRaw(JSON.stringify({ type: 'ping' }));
    await client.next((f) => f.type === 'error');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await client.request('ping')).type).toBe('pong');
    await client.close();
  });
});

describe('slow consumers', () => {
  const startServer = serversPerTest();

  it('closes a non-reading member with 4008, terminates it, and keeps delivering to the rest of the room', async () => {
    const server = await startServer({ RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000' });
    const registry = server.app.get(ConnectionRegistryService);
    const [publisher, healthy, stalled] = await Promise.all(
      ['pub', 'healthy', 'stalled'].map(async (sub) => connect(server.wsUrl, { token: await mintToken({ sub }) })),
    );
    for (const c of [healthy, stalled]) await c.request('room.join', { room: 'public:flood' });
    // The stalled client stops reading: the kernel buffers fill, then the server's send buffer.
    stalled.socket.pause();
    const body = 'y'.repeat(16 * 1024);
    const batches = 40;
    const perBatch = 25; // 400 KB a batch: the healthy reader never lags by SEND_BUFFER_MAX_BYTES (1 MiB)
    for (let b = 0; b < batches; b++) {
      for (let i = 0; i < perBatch; i++) {
        publisher.sendRaw(JSON.stringify({ type: 'room.publish', data: { room: 'public:flood', body: `${b * perBatch + i}:${body}` } }));
      }
      const last = `${(b + 1) * perBatch - 1}:`;
      await healthy.next((f) => f.type === 'message' && f.data.body.startsWith(last), 10000);
    }
    expect(healthy.frames.filter((f) => f.type === 'message')).toHaveLength(batches * perBatch);
    await waitFor(() => ![...registry.all()].some((s) => s.userId === 'stalled'), 5000);
    await Promise.all([publisher.close(), healthy.close()]);
  }, 30000);
});
