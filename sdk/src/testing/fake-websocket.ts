import type { WebSocketLike } from '../types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface SentFrame {
  type: string;
  id?: string;
  data?: any;
}

export const TEST_WELCOME = {
  sessionId: 's-1',
  userId: 'alice',
  heartbeatIntervalMs: 1000,
  heartbeatTimeoutMs: 500,
  maxPayloadBytes: 1024,
  tokenExp: 2_000_000_000,
  /** An hour: no test meets a token refresh unless it asks for one. */
  tokenExpiresInMs: 3_600_000,
};

/** A scriptable WebSocket: the test plays the server (open, frames, close) and reads what was sent. */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: any) => void) | null = null;
  onmessage: ((event: any) => void) | null = null;
  onclose: ((event: any) => void) | null = null;
  onerror: ((event: any) => void) | null = null;
  readonly sent: SentFrame[] = [];
  readonly closeCalls: { code?: number; reason?: string }[] = [];
  terminated = false;

  constructor(readonly url: string) {}

  send(text: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    this.sent.push(JSON.parse(text) as SentFrame);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    this.readyState = 2;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }

  // ---- the server side ----

  get token(): string | null {
    return new URL(this.url).searchParams.get('token');
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({ type: 'open' });
  }

  receive(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  receiveRaw(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** Opens (if needed) and sends the welcome. */
  welcome(overrides: Partial<typeof TEST_WELCOME> = {}): void {
    if (this.readyState === 0) this.open();
    this.receive({ type: 'welcome', data: { ...TEST_WELCOME, ...overrides } });
  }

  ack(request: SentFrame, data?: unknown): void {
    this.receive(data === undefined ? { type: 'ack', id: request.id } : { type: 'ack', id: request.id, data });
  }

  error(request: SentFrame | undefined, code: string, message = code.toLowerCase(), details?: unknown): void {
    this.receive({ type: 'error', ...(request ? { id: request.id } : {}), data: { code, message, ...(details ? { details } : {}) } });
  }

  /** The server (or the network) closes the socket. */
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  sentOfType(type: string): SentFrame[] {
    return this.sent.filter((f) => f.type === type);
  }

  lastSent(type?: string): SentFrame {
    const frames = type ? this.sentOfType(type) : this.sent;
    const frame = frames[frames.length - 1];
    if (!frame) throw new Error(`nothing of type ${type ?? '*'} was sent`);
    return frame;
  }
}

/** A WebSocket constructor recording every socket it creates (one registry per test). */
export function fakeWebSocketFactory() {
  const sockets: FakeWebSocket[] = [];
  class TestWebSocket extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return {
    WebSocket: TestWebSocket,
    sockets,
    last(): FakeWebSocket {
      const socket = sockets[sockets.length - 1];
      if (!socket) throw new Error('no socket was created');
      return socket;
    },
  };
}
