import { describe, expect, it, jest } from '@jest/globals';
import { decideAfterClose } from './reconnect-policy';
import { shouldReconnect } from './protocol';
import { flush, setup, useFakeClientClock } from './testing/harness';

describe('decideAfterClose', () => {
  it.each([
    // code, reconnect (no getToken), reconnect (getToken), refreshes the token (getToken)
    [1000, false, false, false],
    [1001, true, true, false],
    [1006, true, true, false],
    [1008, false, false, false],
    [1011, true, true, false],
    [4001, false, true, true],
    [4008, true, true, false],
    [4009, true, true, false],
    [4503, false, false, false],
    [4999, false, false, false],
  ])('close %i: reconnect %s without getToken, %s with it (refresh %s)', (code, plain, withGetToken, refresh) => {
    expect(decideAfterClose({ code, opened: true, canRefreshToken: false })).toEqual({ reconnect: plain, refreshToken: false });
    expect(decideAfterClose({ code, opened: true, canRefreshToken: true })).toEqual({ reconnect: withGetToken, refreshToken: refresh });
  });

  it('treats a socket that never opened as 1006, refreshing the token when it can (a hidden 401)', () => {
    expect(decideAfterClose({ code: 1002, opened: false, canRefreshToken: false })).toEqual({ reconnect: true, refreshToken: false });
    expect(decideAfterClose({ code: 1006, opened: false, canRefreshToken: true })).toEqual({ reconnect: true, refreshToken: true });
  });

  it('agrees with the protocol shouldReconnect for every opened close but 4001', () => {
    for (const code of [1000, 1001, 1002, 1003, 1005, 1006, 1007, 1009, 1011, 1012, 1013, 1014, 3000, 4000, 4002, 4499, 4500, 4503]) {
      expect(decideAfterClose({ code, opened: true, canRefreshToken: true }).reconnect).toBe(shouldReconnect(code));
    }
  });
});

describe('RealtimeClient close-code policy', () => {
  useFakeClientClock();

  it.each([
    [1000, false],
    [1001, true],
    [1006, true],
    [1008, false],
    [1011, true],
    [4008, true],
    [4009, true],
    [4503, false],
    [4999, false],
  ])('after close %i it reconnects: %s', async (code, reconnects) => {
    const h = setup();
    await h.connect();
    h.fake.last().serverClose(code, 'bye');
    expect(h.events.close).toEqual([{ code, reason: 'bye', willReconnect: reconnects }]);
    expect(h.client.state).toBe(reconnects ? 'reconnecting' : 'closed');
    await jest.advanceTimersByTimeAsync(499); // Math.random() = 1: the first retry waits exactly minMs = 500
    expect(h.fake.sockets).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(reconnects ? 1 : 60_000);
    expect(h.fake.sockets).toHaveLength(reconnects ? 2 : 1);
    if (!reconnects) expect(jest.getTimerCount()).toBe(0);
    h.client.close();
  });

  it('4001 with getToken: fetches a fresh token and reconnects with it', async () => {
    let n = 0;
    const getToken = jest.fn(async () => `fresh-${++n}`);
    const h = setup({ token: undefined, getToken });
    await h.connect();
    expect(h.fake.last().token).toBe('fresh-1');
    h.fake.last().serverClose(4001, 'token expired');
    expect(h.events.close).toEqual([{ code: 4001, reason: 'token expired', willReconnect: true }]);
    const second = await h.reconnect();
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(second.token).toBe('fresh-2');
    expect(h.client.state).toBe('open');
    h.client.close();
  });

  it('4001 without getToken: stops (the same token would be refused forever)', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.serverClose(4001, 'token expired');
    expect(h.events.close).toEqual([{ code: 4001, reason: 'token expired', willReconnect: false }]);
    expect(h.client.state).toBe('closed');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.fake.sockets).toHaveLength(1);
  });

  it('keeps the static token on an ordinary reconnect and calls getToken only when needed', async () => {
    const getToken = jest.fn(() => 'from-getToken');
    const h = setup({ token: 'static', getToken });
    await h.connect();
    h.fake.last().serverClose(1006);
    const second = await h.reconnect();
    expect(second.token).toBe('static');
    expect(getToken).not.toHaveBeenCalled();
    h.client.close();
  });

  it('retries a refused handshake (never opened) with backoff and a fresh token from getToken', async () => {
    const getToken = jest.fn(() => 'fresh');
    const h = setup({ token: 'stale', getToken });
    const connected = h.client.connect();
    await flush();
    h.fake.last().serverClose(1006); // e.g. HTTP 401: the socket never opened
    expect(h.events.close).toEqual([{ code: 1006, reason: '', willReconnect: true }]);
    expect(h.client.state).toBe('reconnecting');
    const second = await h.reconnect();
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(second.token).toBe('fresh');
    await expect(connected).resolves.toMatchObject({ sessionId: 's-1' });
    h.client.close();
  });

  it('rejects connect() on a terminal close before the welcome', async () => {
    const h = setup();
    const connected = h.client.connect();
    await flush();
    h.fake.last().open();
    h.fake.last().serverClose(4503, 'kicked by an administrator');
    await expect(connected).rejects.toMatchObject({ name: 'RealtimeError', code: 'DISCONNECTED', closeCode: 4503 });
  });

  it('reports a failing getToken as an error event and retries with backoff', async () => {
    const getToken = jest.fn<() => Promise<string>>().mockRejectedValueOnce(new Error('auth server down')).mockResolvedValue('ok');
    const h = setup({ token: undefined, getToken });
    const connected = h.client.connect();
    await flush();
    expect(h.fake.sockets).toHaveLength(0);
    expect(h.events.error.map((e) => e.code)).toEqual(['TOKEN_ERROR']);
    await h.reconnect();
    await expect(connected).resolves.toBeDefined();
    expect(h.fake.last().token).toBe('ok');
    h.client.close();
  });
});
