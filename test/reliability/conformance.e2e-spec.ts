import { connect as tcpConnect } from 'node:net';
import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, tryUpgrade } from '../support/ws-client';
import { close, continuation, frame, Op, ping, text } from './support/frames';
import { rawConnect, RawClient, upgradeRequest } from './support/raw-client';

/**
 * RFC 6455 conformance of what `ws` does for us, over raw frames (Autobahn cannot run here): each
 * violation must end in the right close code, and never take the process or other peers down.
 */
const MAX_PAYLOAD = 1024;
let server: TestServer;
let token: string;
const open = () => rawConnect(server.port, token);

beforeAll(async () => {
  server = await startServer({ MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD), MAX_CONNECTIONS_PER_USER: '10000', RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000' });
  token = await mintToken({ sub: 'raw' });
});
afterAll(() => server.close());

async function closedWith(client: RawClient, ...frames: Buffer[]): Promise<number | undefined> {
  client.send(...frames);
  const code = await client.closeCode();
  await client.ended;
  return code;
}

describe('framing violations close with 1002', () => {
  it.each([1, 2, 4, 7])('reserved bits %i on a text frame', async (rsv) => {
    expect(await closedWith(await open(), frame({ opcode: Op.Text, payload: '{"type":"ping"}', rsv }))).toBe(1002);
  });
  it.each([0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf].map((op) => [op.toString(16), op]))('reserved opcode 0x%s', async (_hex, opcode) => {
    expect(await closedWith(await open(), frame({ opcode, payload: 'x' }))).toBe(1002);
  });
  it('a ping of 126 bytes (control frames carry at most 125)', async () => {
    expect(await closedWith(await open(), ping(Buffer.alloc(126, 1)))).toBe(1002);
  });
  it('a fragmented ping', async () => {
    expect(await closedWith(await open(), frame({ opcode: Op.Ping, payload: 'a', fin: false }))).toBe(1002);
  });
  it('a continuation frame with no message started', async () => {
    expect(await closedWith(await open(), continuation('{"type":"ping"}'))).toBe(1002);
  });
  it('a new text frame while a fragmented message is open', async () => {
    expect(await closedWith(await open(), text('{"type":', false), text('"ping"}'))).toBe(1002);
  });
  it('an unmasked client frame', async () => {
    expect(await closedWith(await open(), frame({ opcode: Op.Text, payload: '{"type":"ping"}', masked: false }))).toBe(1002);
  });
  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])('close code %i', async (code) => {
    expect(await closedWith(await open(), close(code))).toBe(1002);
  });
  it('a 1-byte close payload', async () => {
    expect(await closedWith(await open(), close(undefined, '', Buffer.from([3])))).toBe(1002);
  });
  it.each([1000, 1001, 3000, 4999])('a valid close code %i is answered with the same code', async (code) => {
    expect(await closedWith(await open(), close(code, 'bye'))).toBe(code);
  });
});

describe('invalid UTF-8 closes with 1007', () => {
  it.each([
    ['a lone continuation byte', Buffer.from([0x7b, 0x80, 0x7d])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['a UTF-16 surrogate encoded in UTF-8', Buffer.from([0xed, 0xa0, 0x80])],
    ['a code point above U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
  ])('%s in a text frame', async (_name, bytes) => {
    expect(await closedWith(await open(), text(bytes))).toBe(1007);
  });
  it('a sequence split across fragments that ends truncated', async () => {
    expect(await closedWith(await open(), text(Buffer.from([...Buffer.from('{"a":"'), 0xce]), false), continuation(Buffer.from([0xba, 0xe1])))).toBe(1007);
  });
  it('invalid UTF-8 in a close reason', async () => {
    expect(await closedWith(await open(), close(undefined, '', Buffer.from([0x03, 0xe8, 0xff])))).toBe(1007);
  });
});

describe('fragmentation and sizes', () => {
  it('a fragmented text message with a ping in between: pong first, then the reply', async () => {
    const client = await open();
    client.send(text('{"type":"pi', false), ping('mid'), continuation('ng","id":"f1"}'));
    const pong = await client.next((f) => f.opcode === Op.Pong);
    expect(pong.payload.toString()).toBe('mid');
    await client.next((f) => f.opcode === Op.Text && f.payload.toString().includes('"f1"'));
    expect(client.json().slice(1)).toEqual([{ type: 'pong', id: 'f1' }]);
    client.destroy();
  });
  const sized = (size: number) => {
    const head = '{"type":"ping","id":"';
    return `${head}${'x'.repeat(size - head.length - 2)}"}`;
  };
  it('a message of exactly MAX_PAYLOAD_BYTES is processed (BAD_ENVELOPE: its id is too long)', async () => {
    const client = await open();
    client.send(text(sized(MAX_PAYLOAD)));
    const reply = await client.next((f) => f.opcode === Op.Text && f.payload.includes('BAD_ENVELOPE'));
    expect(reply).toBeDefined();
    client.destroy();
  });
  it('MAX_PAYLOAD_BYTES + 1 in one frame closes with 1009', async () => {
    expect(await closedWith(await open(), text(sized(MAX_PAYLOAD + 1)))).toBe(1009);
  });
  it('MAX_PAYLOAD_BYTES + 1 over two fragments closes with 1009', async () => {
    const body = sized(MAX_PAYLOAD + 1);
    expect(await closedWith(await open(), text(body.slice(0, 600), false), continuation(body.slice(600)))).toBe(1009);
  });
});

describe('many tiny fragments', () => {
  const send = async (fragments: number) => {
    const client = await open();
    const parts = [text('{"type":"ping","id":"many"}', false)];
    for (let i = 1; i < fragments; i++) parts.push(continuation('', i === fragments - 1));
    client.send(...parts);
    return client;
  };
  it('16384 fragments are still one message', async () => {
    const client = await send(16384);
    await client.next((f) => f.opcode === Op.Text && f.payload.includes('"many"'));
    client.destroy();
  });
  it('16385 fragments close with 1008', async () => {
    const client = await send(16385);
    expect(await client.closeCode()).toBe(1008);
  });
});

describe('hostile handshakes and control floods', () => {
  it('a header flood (CVE-2024-37890: more headers than maxHeadersCount) gets 400 and the process lives', async () => {
    const flood = Object.fromEntries(Array.from({ length: 2100 }, (_, i) => [`x-${i}`, '1']));
    const request = upgradeRequest(server.port, flood).replace(/Sec-WebSocket-Key: .*\r\n/, '');
    const answer = await rawAnswer(`${request.slice(0, -2)}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(await tryUpgrade(server.wsUrl, { authorization: `Bearer ${token}` })).toMatchObject({ status: 101 });
  });
  it('headers larger than 16 KiB get 431', async () => {
    expect(await rawAnswer(upgradeRequest(server.port, { 'x-big': 'y'.repeat(20_000) }))).toMatch(/^HTTP\/1\.1 431/);
  });
  it('a peer that floods pings and reads nothing is terminated; others are unaffected', async () => {
    const registry = server.app.get(ConnectionRegistryService);
    const bystander = await connect(server.wsUrl, { token: await mintToken({ sub: 'bystander' }) });
    const flooder = await rawConnect(server.port, await mintToken({ sub: 'pinger' }));
    flooder.socket.pause(); // reads nothing: the server's pongs pile up
    const burst = Buffer.concat(Array.from({ length: 2000 }, () => ping(Buffer.alloc(125, 7))));
    for (let i = 0; i < 100 && !flooder.socket.destroyed; i++) {
      if (!flooder.socket.write(burst)) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await waitFor(() => ![...registry.all()].some((s) => s.userId === 'pinger'), 10000);
    expect((await bystander.request('ping')).type).toBe('pong');
    flooder.destroy();
    await bystander.close();
  }, 20000);
});

/** Sends raw request bytes; resolves with what the server wrote before closing (or after 3 s). */
function rawAnswer(request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    setTimeout(() => (socket.destroy(), resolve(answer)), 3000).unref();
    socket.write(request);
  });
}
