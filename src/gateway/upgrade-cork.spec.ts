import { once } from 'node:events';
import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { UpgradeCork } from './upgrade-cork';

describe('UpgradeCork', () => {
  let server: Server;
  let received: Buffer[];
  const sockets: Socket[] = [];

  beforeEach(async () => {
    received = [];
    server = createServer((peer) => peer.on('data', (chunk) => received.push(chunk)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    server.close();
    await once(server, 'close');
  });

  async function connect(): Promise<Socket> {
    const socket = new Socket();
    sockets.push(socket);
    socket.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    return socket;
  }

  it('holds the writes of this turn and hands them to the kernel together at its end', async () => {
    const cork = new UpgradeCork();
    const [a, b] = [await connect(), await connect()];
    cork.hold(a);
    cork.hold(b);
    a.write('HTTP/1.1 101\r\n\r\n');
    await Promise.resolve(); // the welcome comes after microtasks, within the turn
    a.write('welcome');
    expect([a.writableCorked, b.writableCorked, a.writableLength]).toEqual([1, 1, 23]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([a.writableCorked, b.writableCorked]).toEqual([0, 0]);
    for (let i = 0; i < 50 && Buffer.concat(received).length < 23; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(Buffer.concat(received).toString()).toBe('HTTP/1.1 101\r\n\r\nwelcome');
  });

  it('corks again in a later turn', async () => {
    const cork = new UpgradeCork();
    const socket = await connect();
    cork.hold(socket);
    await new Promise((resolve) => setImmediate(resolve));
    cork.hold(socket);
    expect(socket.writableCorked).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.writableCorked).toBe(0);
  });

  it('does not throw for a socket destroyed before the end of the turn', async () => {
    const cork = new UpgradeCork();
    const socket = await connect();
    cork.hold(socket);
    socket.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.destroyed).toBe(true);
  });
});
