import { describe, expect, it, jest } from '@jest/globals';
import { flush, setup, useFakeClientClock } from './testing/harness';

/** `getToken` + `auth.refresh` before expiry, through the client on fake sockets (fake timers). */
describe('token refresh before expiry', () => {
  useFakeClientClock();

  /** A welcome with this token life and no client heartbeat (nobody answers its pings here). */
  const lifeOf = (tokenExpiresInMs: number) => ({ tokenExpiresInMs, heartbeatIntervalMs: 0 });
  const refreshes = (socket: { sent: { type: string }[] }) => socket.sent.filter((f) => f.type === 'auth.refresh');

  it('at 80 % of the life the welcome gives, sends auth.refresh with a token from getToken; then again per ack', async () => {
    let n = 0;
    const getToken = jest.fn(async () => `t${++n}`);
    const h = setup({ token: undefined, getToken });
    const { socket } = await h.connect(lifeOf(10_000));
    await jest.advanceTimersByTimeAsync(7_999);
    expect(refreshes(socket)).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(refreshes(socket)).toEqual([{ type: 'auth.refresh', id: expect.any(String), data: { token: 't2' } }]);
    socket.ack(refreshes(socket)[0], { exp: 0, expiresInMs: 5_000 });
    await jest.advanceTimersByTimeAsync(3_999);
    expect(refreshes(socket)).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(refreshes(socket).map((f) => (f as { data?: { token: string } }).data?.token)).toEqual(['t2', 't3']);
    expect(h.events.error).toEqual([]);
    expect(h.events.close).toEqual([]);
    h.client.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('reports a refused refresh and retries in half the time left while more than 2 s are left', async () => {
    const h = setup({ getToken: async () => 'fresh' });
    const { socket } = await h.connect(lifeOf(20_000));
    await jest.advanceTimersByTimeAsync(16_000);
    socket.error(refreshes(socket)[0], 'UNAVAILABLE', 'token keys unavailable');
    await flush();
    expect(h.events.error.map((e) => `${e.code} ${e.message}`)).toEqual(['UNAVAILABLE token keys unavailable']);
    await jest.advanceTimersByTimeAsync(2_000); // 4 s were left: the retry comes after 2 s
    expect(refreshes(socket)).toHaveLength(2);
    socket.error(refreshes(socket)[1], 'FORBIDDEN', 'token invalid');
    await jest.advanceTimersByTimeAsync(10_000); // 2 s left: no more tries; the server's 4001 will follow
    expect(refreshes(socket)).toHaveLength(2);
    expect(h.events.error.map((e) => e.code)).toEqual(['UNAVAILABLE', 'FORBIDDEN']);
    h.client.close();
  });

  it('reports a getToken failure as TOKEN_ERROR and sends nothing for it', async () => {
    const getToken = jest.fn<() => Promise<string>>().mockResolvedValueOnce('first').mockRejectedValueOnce(new Error('auth server down')).mockResolvedValue('later');
    const h = setup({ token: undefined, getToken });
    const { socket } = await h.connect(lifeOf(20_000));
    await jest.advanceTimersByTimeAsync(16_000);
    expect(h.events.error.map((e) => `${e.code} ${e.message}`)).toEqual(['TOKEN_ERROR getToken() failed: auth server down']);
    expect(refreshes(socket)).toEqual([]);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(refreshes(socket)).toEqual([expect.objectContaining({ data: { token: 'later' } })]);
    h.client.close();
  });

  it('uses the refreshed token for the next connection', async () => {
    let n = 0;
    const h = setup({ token: undefined, getToken: async () => `t${++n}` });
    const { socket } = await h.connect(lifeOf(10_000));
    await jest.advanceTimersByTimeAsync(8_000);
    socket.ack(refreshes(socket)[0], { exp: 0, expiresInMs: 3_600_000 });
    socket.serverClose(1006);
    expect((await h.reconnect()).token).toBe('t2');
    h.client.close();
  });

  it('stops with the connection: a reply or timer of the old socket does nothing', async () => {
    const getToken = jest.fn(async () => 'fresh');
    const h = setup({ getToken });
    const { socket } = await h.connect(lifeOf(10_000));
    socket.serverClose(1001, 'going away');
    await jest.advanceTimersByTimeAsync(9_000);
    expect(getToken).not.toHaveBeenCalled();
    h.client.close();
  });

  it('without getToken (a static token) never refreshes', async () => {
    const h = setup();
    const { socket } = await h.connect(lifeOf(1_000));
    await jest.advanceTimersByTimeAsync(900);
    expect(refreshes(socket)).toEqual([]);
    h.client.close();
  });

  it('waits in steps for a life longer than a timer can span (2^31 ms)', async () => {
    const h = setup({ getToken: async () => 'fresh' });
    const { socket } = await h.connect(lifeOf(100 * 86_400_000)); // 100 days: refresh after 80
    await jest.advanceTimersByTimeAsync(79 * 86_400_000);
    expect(refreshes(socket)).toEqual([]);
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(refreshes(socket)).toHaveLength(1);
    h.client.close();
  });
});
