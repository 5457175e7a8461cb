import { connect as tcpConnect, Socket } from 'node:net';
import { Op, parseFrames, ServerFrame } from './frames';

/**
 * A WebSocket client over a bare TCP socket: sends hand-built frames (see frames.ts) and records
 * what the server answers, down to the close frame's code and whether the socket then closed.
 */
export class RawClient {
  readonly frames: ServerFrame[] = [];
  readonly ended: Promise<void>;
  private pending: Buffer = Buffer.alloc(0);
  private listeners: (() => void)[] = [];

  constructor(
    readonly socket: Socket,
    leftover: Buffer,
  ) {
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', () => undefined); // a reset after a protocol error is expected
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    if (leftover.length > 0) this.receive(leftover);
  }

  send(...buffers: Buffer[]): void {
    if (!this.socket.destroyed) this.socket.write(Buffer.concat(buffers));
  }

  /** Resolves with the first matching server frame (seen or future); rejects on timeout or close. */
  async next(match: (f: ServerFrame) => boolean, timeoutMs = 5000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.socket.destroyed) throw new Error('socket closed before a matching frame');
      if (Date.now() > deadline) throw new Error(`no matching frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.listeners.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /** The code of the server's close frame (undefined: closed without one, e.g. terminated). */
  async closeCode(timeoutMs = 5000): Promise<number | undefined> {
    try {
      const closing = await this.next((f) => f.opcode === Op.Close, timeoutMs);
      return closing.payload.length >= 2 ? closing.payload.readUInt16BE(0) : 1005;
    } catch (err) {
      if (this.socket.destroyed) return undefined;
      throw err;
    }
  }

  /** Text frames parsed as JSON envelopes (unfragmented: the server never fragments). */
  json(): { type: string; id?: string; data?: any }[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.frames.filter((f) => f.opcode === Op.Text).map((f) => JSON.parse(f.payload.toString()));
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    const { frames, rest } = parseFrames(Buffer.concat([this.pending, chunk]));
    this.pending = rest;
    this.frames.push(...frames);
    if (frames.length > 0) for (const wake of this.listeners.splice(0)) wake();
  }
}

/** Upgrade request text; `extra` headers go last, after the standard ones. */
export function upgradeRequest(port: number, headers: Record<string, string> = {}, path = '/ws'): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Opens a raw connection and completes the upgrade with `token`; rejects unless the answer is 101. */
export async function rawConnect(port: number, token: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const socket = tcpConnect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let received = Buffer.alloc(0);
  const leftover = await new Promise<Buffer>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const head = received.subarray(0, end).toString();
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      resolve(received.subarray(end + 4));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(upgradeRequest(0, { Authorization: `Bearer ${token}`, ...headers }).replace('127.0.0.1:0', `127.0.0.1:${port}`));
  });
  const client = new RawClient(socket, leftover);
  await client.next((f) => f.opcode === Op.Text); // welcome
  return client;
}
