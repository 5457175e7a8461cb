import { IncomingHttpHeaders, request } from 'node:http';
import { WebSocket } from 'ws';

export interface Frame {
  type: string;
  id?: string;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ConnectOptions {
  token?: string;
  origin?: string;
  headers?: Record<string, string>;
  /** Offer permessage-deflate (ws's default: true). */
  perMessageDeflate?: boolean;
}

let nextId = 0;

/** A real ws client that records every frame and can await frames, replies and the close. */
export class TestClient {
  readonly frames: Frame[] = [];
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => !(w.match(frame) && (w.resolve(frame), true)));
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Resolves with the first frame (already received or future) that matches. */
  next(match: (f: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  nextOfType(type: string, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.type === type, timeoutMs);
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  /** Sends a request envelope and resolves with its reply (ack, pong or error). */
  request(type: string, data?: object, id = `r${++nextId}`): Promise<Frame> {
    this.sendRaw(JSON.stringify({ type, id, data }));
    return this.next((f) => f.id === id);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}

/**
 * `ws`'s WebSocket for the SDK, which puts the token in `?token=`: this one moves it to the
 * Authorization header, where proxies do not log it (nginx's error log prints the request line).
 */
export class HeaderTokenWebSocket extends WebSocket {
  constructor(url: string) {
    const parsed = new URL(url);
    const token = parsed.searchParams.get('token');
    parsed.searchParams.delete('token');
    super(parsed, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  }
}

/** Connects and waits for the welcome frame. */
export async function connect(url: string, options: ConnectOptions = {}): Promise<TestClient> {
  const headers = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const socket = new WebSocket(url, { headers, origin: options.origin, perMessageDeflate: options.perMessageDeflate ?? true });
  const client = new TestClient(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await client.nextOfType('welcome');
  return client;
}

export interface UpgradeResult {
  status: number;
  body: string;
}

/** Sends a raw HTTP upgrade request and returns the status the server answered. */
export async function tryUpgrade(url: string, headers: Record<string, string> = {}): Promise<UpgradeResult> {
  const { status, body } = await upgradeResponse(url, headers);
  return { status, body };
}

/** Like tryUpgrade, with the response's headers too (none for a 101). */
export function upgradeResponse(url: string, headers: Record<string, string> = {}): Promise<UpgradeResult & { headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws/, 'http'), {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '', headers: {} });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
