import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { serversPerTest } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, TestClient } from '../support/ws-client';

const ROOM = 'public:deflate';
const FAST = { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000' };

/** WS_COMPRESSION (docs/configuration.md): permessage-deflate only when on, and only for clients that offer it. */
describe('WS_COMPRESSION', () => {
  const startServer = serversPerTest();
  const open: TestClient[] = [];
  afterEach(() => {
    for (const c of open.splice(0)) c.socket.terminate();
  });
  const member = async (url: string, sub: string, perMessageDeflate = true) => {
    const c = await connect(url, { token: await mintToken({ sub }), perMessageDeflate });
    open.push(c);
    expect((await c.request('room.join', { room: ROOM })).type).toBe('ack');
    return c;
  };
  /** A large, compressible body (over the 1 KiB threshold) and a small one, published through the room. */
  const bodies = [{ rows: Array.from({ length: 200 }, (_, i) => ({ i, name: `row ${i}`, tags: ['a', 'b'] })) }, { small: true }];

  it('is off by default: nothing is negotiated, even with a client that offers it', async () => {
    const server = await startServer(FAST);
    const c = await member(server.wsUrl, 'alice');
    expect(c.socket.extensions).toBe('');
  });

  it('when on, compresses for a client that offers it and not for one that does not; both receive every message intact', async () => {
    const server = await startServer({ ...FAST, WS_COMPRESSION: 'on' });
    const deflating = await member(server.wsUrl, 'alice');
    const plain = await member(server.wsUrl, 'bob', false);
    expect(deflating.socket.extensions).toBe('permessage-deflate');
    expect(plain.socket.extensions).toBe('');
    // What the 101 agreed to (the browser's offer): each message on its own, the server's window 1 KiB.
    const browserLike = new WebSocket(server.wsUrl, { headers: { authorization: `Bearer ${await mintToken({ sub: 'carol' })}` } }); // ws offers permessage-deflate; client_max_window_bits, as browsers do
    const [response] = (await once(browserLike, 'upgrade')) as [IncomingMessage];
    browserLike.terminate();
    expect(response.headers['sec-websocket-extensions']).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10');
    // The compressing client publishes too: the server inflates what it sends.
    for (const body of bodies) expect((await deflating.request('room.publish', { room: ROOM, body })).type).toBe('ack');
    for (const c of [deflating, plain]) {
      for (const body of bodies) await c.next((f) => f.type === 'message' && JSON.stringify(f.data.body) === JSON.stringify(body));
    }
  });
});
