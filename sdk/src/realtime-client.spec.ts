import { describe, expect, it, jest } from '@jest/globals';
import { Emitter } from './emitter';
import { RealtimeClient } from './realtime-client';
import { flush, setup, useFakeClientClock } from './testing/harness';
import { fakeWebSocketFactory } from './testing/fake-websocket';
import type { WebSocketConstructor } from './types';

/** Checked by `tsc -p sdk/tsconfig.json` (lib DOM): the browser's WebSocket fits the option. */
export const browserWebSocketFits = (ctor: typeof WebSocket): WebSocketConstructor => ctor;

describe('RealtimeClient connect', () => {
  useFakeClientClock();

  it('puts the token in the token query parameter and resolves with the welcome', async () => {
    const h = setup({ url: 'ws://gateway.test/ws?x=1&token=old', token: 'a b+c' });
    const { welcome, socket } = await h.connect();
    const url = new URL(socket.url);
    expect(url.pathname).toBe('/ws');
    expect(url.searchParams.get('x')).toBe('1');
    expect(url.searchParams.getAll('token')).toEqual(['a b+c']);
    expect(welcome).toEqual(expect.objectContaining({ sessionId: 's-1', userId: 'alice', heartbeatIntervalMs: 1000 }));
    expect(h.client.welcome).toEqual(welcome);
    expect(h.events.welcome).toEqual([welcome]);
    expect(h.events.state).toEqual(['connecting', 'open']);
    h.client.close();
  });

  it('asks getToken when no token is given; turns http(s) URLs into ws(s)', async () => {
    const getToken = jest.fn(async () => 'minted');
    const h = setup({ url: 'https://gateway.test/ws', token: undefined, getToken });
    const { socket } = await h.connect();
    expect(socket.url).toBe('wss://gateway.test/ws?token=minted');
    expect(getToken).toHaveBeenCalledTimes(1);
    h.client.close();
  });

  it('returns the same pending welcome to concurrent connect() calls, and the current one when open', async () => {
    const h = setup();
    const first = h.client.connect();
    const second = h.client.connect();
    await flush();
    expect(h.fake.sockets).toHaveLength(1);
    h.fake.last().welcome();
    expect(await first).toBe(await second);
    await expect(h.client.connect()).resolves.toBe(await first);
    expect(h.fake.sockets).toHaveLength(1);
    h.client.close();
  });

  it('goes connecting -> open -> reconnecting -> open -> closed', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.serverClose(1012, 'restart');
    await h.reconnect();
    h.client.close();
    expect(h.events.state).toEqual(['connecting', 'open', 'reconnecting', 'open', 'closed']);
    expect(h.events.welcome).toHaveLength(2);
    expect(h.events.close).toEqual([
      { code: 1012, reason: 'restart', willReconnect: true },
      { code: 1000, reason: 'client closed', willReconnect: false },
    ]);
  });

  it('grows the backoff across failed attempts and resets it after a welcome', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.serverClose(1006);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = h.fake.sockets.length;
      let waited = 0;
      while (h.fake.sockets.length === before) {
        await jest.advanceTimersByTimeAsync(100);
        waited += 100;
      }
      delays.push(waited);
      if (i < 3) h.fake.last().serverClose(1006); // refused again
    }
    expect(delays).toEqual([500, 1000, 2000, 4000]); // Math.random() = 1: the top of each window
    h.fake.last().welcome();
    h.fake.last().serverClose(1006);
    await jest.advanceTimersByTimeAsync(499);
    expect(h.fake.sockets).toHaveLength(5);
    await jest.advanceTimersByTimeAsync(1);
    expect(h.fake.sockets).toHaveLength(6);
    h.client.close();
  });

  it('defaults to globalThis.WebSocket and explains how to pass one when there is none', async () => {
    const g = globalThis as { WebSocket?: unknown };
    const saved = g.WebSocket;
    try {
      delete g.WebSocket;
      expect(() => new RealtimeClient({ url: 'ws://x/ws' })).toThrow(/options\.WebSocket/);
      const fake = fakeWebSocketFactory();
      g.WebSocket = fake.WebSocket;
      const client = new RealtimeClient({ url: 'ws://x/ws', token: 't' });
      void client.connect().catch(() => undefined);
      await flush();
      expect(fake.sockets).toHaveLength(1);
      client.close();
    } finally {
      g.WebSocket = saved;
    }
  });

  it('validates its options', () => {
    const { WebSocket } = fakeWebSocketFactory();
    expect(() => new RealtimeClient({ url: '', WebSocket })).toThrow(TypeError);
    expect(() => new RealtimeClient({ url: 'ws://x', WebSocket, requestTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => new RealtimeClient({ url: 'ws://x', WebSocket, backoff: { minMs: 10, maxMs: 5 } })).toThrow(RangeError);
  });

  it('stops with a BAD_URL error when the URL cannot be opened', async () => {
    const h = setup({ url: 'not a url' });
    const connected = h.client.connect();
    await expect(connected).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(h.events.error).toEqual([expect.objectContaining({ code: 'BAD_URL' })]);
    expect(h.client.state).toBe('closed');
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('RealtimeClient close()', () => {
  useFakeClientClock();

  it('while open, with requests in flight: rejects them, closes 1000, leaves no timer and never reconnects', async () => {
    const h = setup();
    const { socket } = await h.connect();
    const joined = h.client.join('public:a', () => undefined);
    const published = h.client.publish('public:a', 1);
    await jest.advanceTimersByTimeAsync(1000); // a ping in flight as well
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    h.client.close();
    expect(jest.getTimerCount()).toBe(0);
    await expect(joined).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(published).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(socket.closeCalls).toEqual([{ code: 1000, reason: 'client closed' }]);
    expect(h.client.state).toBe('closed');
    expect(h.client.joinedRooms).toEqual([]);
    socket.serverClose(1006); // the socket's own close event comes later: ignored
    socket.receive({ type: 'direct', data: {} });
    await jest.advanceTimersByTimeAsync(120_000);
    expect(h.fake.sockets).toHaveLength(1);
    expect(h.events.close).toHaveLength(1);
    expect(h.events.direct).toEqual([]);
  });

  it('while waiting to reconnect: cancels the retry', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.serverClose(1006);
    expect(jest.getTimerCount()).toBe(1);
    h.client.close();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(h.fake.sockets).toHaveLength(1);
    expect(h.events.state).toEqual(['connecting', 'open', 'reconnecting', 'closed']);
  });

  it('while connecting: rejects connect(), clears the connect timeout', async () => {
    const h = setup();
    const connected = h.client.connect();
    await flush();
    expect(jest.getTimerCount()).toBe(1);
    h.client.close();
    await expect(connected).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(jest.getTimerCount()).toBe(0);
    h.fake.last().welcome(); // too late: ignored
    expect(h.client.state).toBe('closed');
  });

  it('while getToken is pending: no socket is opened afterwards', async () => {
    let release: (token: string) => void = () => undefined;
    const h = setup({ token: undefined, getToken: () => new Promise<string>((resolve) => (release = resolve)) });
    const connected = h.client.connect().catch((e: Error) => e);
    await flush();
    h.client.close();
    release('late');
    await flush();
    expect(h.fake.sockets).toHaveLength(0);
    expect(await connected).toMatchObject({ code: 'DISCONNECTED' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('can connect again after close(), from a clean slate', async () => {
    const h = setup();
    await h.connect();
    h.client.close();
    const { socket } = await h.connect();
    expect(h.fake.sockets).toHaveLength(2);
    expect(socket.sent).toEqual([]);
    expect(h.client.state).toBe('open');
    h.client.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a close event listener may call close() without a reconnect being scheduled', async () => {
    const h = setup();
    const { socket } = await h.connect();
    h.client.on('close', () => h.client.close());
    socket.serverClose(1006);
    expect(h.client.state).toBe('closed');
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('Emitter', () => {
  it('calls listeners in order, removes them with off() or the returned function', () => {
    const emitter = new Emitter<{ n: number }>();
    const seen: string[] = [];
    const a = (n: number) => seen.push(`a${n}`);
    const unsubscribe = emitter.on('n', (n) => seen.push(`b${n}`));
    emitter.on('n', a);
    emitter.emit('n', 1);
    emitter.off('n', a);
    unsubscribe();
    emitter.emit('n', 2);
    expect(seen).toEqual(['b1', 'a1']);
    expect(emitter.listenerCount('n')).toBe(0);
  });

  it('a throwing listener does not stop the others; its error is rethrown later', async () => {
    const emitter = new Emitter<{ n: number }>();
    const seen: number[] = [];
    const rethrown: unknown[] = [];
    const spy = jest.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => {
      try {
        task();
      } catch (error) {
        rethrown.push(error);
      }
    });
    emitter.on('n', () => {
      throw new Error('boom');
    });
    emitter.on('n', (n) => seen.push(n));
    emitter.emit('n', 7);
    spy.mockRestore();
    expect(seen).toEqual([7]);
    expect(rethrown).toEqual([new Error('boom')]);
  });
});
