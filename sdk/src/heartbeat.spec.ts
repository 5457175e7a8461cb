import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Heartbeat } from './heartbeat';
import { setup, useFakeClientClock } from './testing/harness';

describe('Heartbeat', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('pings every interval and calls onDead once after interval + timeout of silence', () => {
    const ping = jest.fn();
    const dead = jest.fn();
    const heartbeat = new Heartbeat(ping, dead);
    heartbeat.start(1000, 500);
    jest.advanceTimersByTime(1000);
    expect(ping).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(499);
    expect(dead).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(dead).toHaveBeenCalledTimes(1);
    expect(heartbeat.running).toBe(false);
    jest.advanceTimersByTime(10_000);
    expect(dead).toHaveBeenCalledTimes(1);
    expect(ping).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('any frame postpones the watchdog to interval + timeout after it', () => {
    const dead = jest.fn();
    const heartbeat = new Heartbeat(() => undefined, dead);
    heartbeat.start(1000, 500);
    jest.advanceTimersByTime(1400);
    heartbeat.touch();
    jest.advanceTimersByTime(1499);
    expect(dead).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(dead).toHaveBeenCalledTimes(1);
  });

  it('stop() clears both timers; invalid intervals start nothing', () => {
    const heartbeat = new Heartbeat(() => undefined, () => undefined);
    heartbeat.start(1000, 500);
    expect(jest.getTimerCount()).toBe(2);
    heartbeat.stop();
    expect(jest.getTimerCount()).toBe(0);
    heartbeat.start(0, 500);
    heartbeat.start(Number.NaN, 500);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('RealtimeClient heartbeat and watchdog', () => {
  useFakeClientClock();

  it('sends an app-level ping every heartbeatIntervalMs from the welcome; pongs keep the link alive', async () => {
    const h = setup();
    const { socket } = await h.connect({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500 });
    for (let i = 1; i <= 5; i++) {
      await jest.advanceTimersByTimeAsync(1000);
      const ping = socket.lastSent('ping');
      expect(socket.sentOfType('ping')).toHaveLength(i);
      expect(ping).toEqual({ type: 'ping', id: expect.any(String) });
      socket.receive({ type: 'pong', id: ping.id });
    }
    expect(h.client.state).toBe('open');
    expect(socket.terminated).toBe(false);
    h.client.close();
  });

  it('gives up on a silent socket after interval + timeout (4000) and reconnects', async () => {
    const h = setup();
    const { socket } = await h.connect({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500 });
    await jest.advanceTimersByTimeAsync(1499);
    expect(h.events.close).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(socket.terminated).toBe(true);
    expect(h.events.close).toEqual([{ code: 4000, reason: 'heartbeat timeout', willReconnect: true }]);
    expect(h.client.state).toBe('reconnecting');
    const second = await h.reconnect();
    expect(second).not.toBe(socket);
    expect(h.client.state).toBe('open');
    h.client.close();
  });

  it('closes with 4000 where terminate() does not exist (browsers)', async () => {
    const h = setup();
    const { socket } = await h.connect({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500 });
    (socket as { terminate?: () => void }).terminate = undefined;
    await jest.advanceTimersByTimeAsync(1500);
    expect(socket.closeCalls).toEqual([{ code: 4000, reason: 'heartbeat timeout' }]);
    h.client.close();
  });

  it('counts any frame as life, not only pongs', async () => {
    const h = setup();
    const { socket } = await h.connect({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500 });
    for (let i = 0; i < 10; i++) {
      await jest.advanceTimersByTimeAsync(1200);
      socket.receive({ type: 'direct', data: { from: 'bob', body: i, messageId: `${i}`, ts: 1 } });
    }
    expect(h.events.close).toEqual([]);
    h.client.close();
  });

  it('abandons an attempt that gets no welcome within requestTimeoutMs', async () => {
    const h = setup({ requestTimeoutMs: 2000 });
    const connected = h.client.connect();
    await jest.advanceTimersByTimeAsync(0);
    h.fake.last().open();
    await jest.advanceTimersByTimeAsync(2000);
    expect(h.events.close).toEqual([{ code: 4000, reason: 'connect timeout', willReconnect: true }]);
    const second = await h.reconnect();
    await expect(connected).resolves.toBeDefined();
    expect(second.url).toContain('token=tok-1');
    h.client.close();
  });
});
