import { afterEach, beforeEach, jest } from '@jest/globals';
import { RealtimeClient } from '../realtime-client';
import type { RealtimeClientOptions, RealtimeEvents, Welcome } from '../types';
import { fakeWebSocketFactory, type FakeWebSocket } from './fake-websocket';

/**
 * For a describe block of client tests: fake timers, and Math.random() = 1, so every backoff delay
 * is its maximum (the first reconnect waits exactly minMs).
 */
export function useFakeClientClock(): void {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(1);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });
}

/** Lets pending promise callbacks run (fake timers: also runs timers due now). */
export const flush = (): Promise<void> => jest.advanceTimersByTimeAsync(0);

const EVENT_NAMES: (keyof RealtimeEvents)[] = ['state', 'welcome', 'direct', 'receipt', 'presence', 'recovery', 'directRecovery', 'error', 'close', 'event'];

/** A client on fake sockets, recording every event it emits. Use with jest fake timers. */
export function setup(options: Partial<RealtimeClientOptions> = {}) {
  const fake = fakeWebSocketFactory();
  const client = new RealtimeClient({ url: 'ws://gateway.test/ws', token: 'tok-1', WebSocket: fake.WebSocket, ...options });
  const events = {} as { [K in keyof RealtimeEvents]: RealtimeEvents[K][] };
  for (const name of EVENT_NAMES) {
    const list: unknown[] = [];
    (events as Record<string, unknown[]>)[name] = list;
    client.on(name, (payload) => list.push(payload));
  }
  /** Starts connect() and answers with a welcome on the new socket. */
  const connect = async (welcome: Partial<Welcome> = {}): Promise<{ welcome: Welcome; socket: FakeWebSocket }> => {
    const promise = client.connect();
    await flush();
    const socket = fake.last();
    socket.welcome(welcome);
    return { welcome: await promise, socket };
  };
  /** Lets the backoff delay pass and answers the new attempt with a welcome. */
  const reconnect = async (welcome: Partial<Welcome> = {}, maxDelayMs = 60_000): Promise<FakeWebSocket> => {
    const before = fake.sockets.length;
    for (let waited = 0; fake.sockets.length === before && waited < maxDelayMs; waited += 50) await jest.advanceTimersByTimeAsync(50);
    if (fake.sockets.length === before) throw new Error('the client did not reconnect');
    const socket = fake.last();
    socket.welcome(welcome);
    await flush();
    return socket;
  };
  return { client, fake, events, connect, reconnect };
}
