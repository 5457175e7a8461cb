import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { serversPerTest } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, TestClient } from '../support/ws-client';

const USER_LIMITED = 'user rate limit exceeded; slow down';

/** Sends `count` pings at once and waits for every reply; returns the pongs and the errors' messages. */
async function burst(client: TestClient, tag: string, count: number): Promise<{ pongs: number; errors: string[] }> {
  for (let i = 0; i < count; i++) client.sendRaw(JSON.stringify({ type: 'ping', id: `${tag}${i}` }));
  const replies = () => client.frames.filter((f) => f.id?.startsWith(tag));
  await waitFor(() => replies().length === count);
  return {
    pongs: replies().filter((f) => f.type === 'pong').length,
    errors: replies()
      .filter((f) => f.type === 'error')
      .map((f) => `${f.data.code} ${f.data.message}`),
  };
}

/** One node, in memory: RATE_LIMIT_USER_PER_SEC / RATE_LIMIT_USER_BURST is one budget for all of a user's connections. */
describe('per-user rate limit (one node, in memory)', () => {
  const start = serversPerTest();
  // Per connection 1000/s (never in the way); per user 2/s with a burst of 20.
  const env = { RATE_LIMIT_PER_SEC: '1000', RATE_LIMIT_BURST: '1000', RATE_LIMIT_USER_PER_SEC: '2', RATE_LIMIT_USER_BURST: '20' };

  it('shares one budget between two connections of a user, refusing the rest with RATE_LIMITED, without closing', async () => {
    const server = await start(env);
    const token = await mintToken({ sub: 'user-rl-shared' });
    const [a, b] = [await connect(server.wsUrl, { token }), await connect(server.wsUrl, { token })];
    const [fromA, fromB] = await Promise.all([burst(a, 'a', 15), burst(b, 'b', 15)]);
    const pongs = fromA.pongs + fromB.pongs;
    expect(pongs).toBeGreaterThanOrEqual(20);
    expect(pongs).toBeLessThanOrEqual(21); // a token refilled (2/s) if the server was held up
    expect(new Set([...fromA.errors, ...fromB.errors])).toEqual(new Set([`RATE_LIMITED ${USER_LIMITED}`]));
    // Refusals by the user's budget are not the connection's abuse: no 4009, however many.
    const more = await burst(a, 'm', 300);
    expect(more.pongs).toBeLessThanOrEqual(2);
    expect(a.socket.readyState).toBe(a.socket.OPEN);
    await Promise.all([a.close(), b.close()]);
  });

  it("leaves other users' budgets alone and gives a returning user a full one", async () => {
    const server = await start(env);
    const flooder = await connect(server.wsUrl, { token: await mintToken({ sub: 'user-rl-flooder' }) });
    expect((await burst(flooder, 'f', 25)).pongs).toBeLessThanOrEqual(21);
    const other = await connect(server.wsUrl, { token: await mintToken({ sub: 'user-rl-other' }) });
    expect((await burst(other, 'o', 20)).pongs).toBe(20);
    await flooder.close();
    await waitFor(() => server.app.get(ConnectionRegistryService).ofUser('user-rl-flooder').size === 0);
    const back = await connect(server.wsUrl, { token: await mintToken({ sub: 'user-rl-flooder' }) });
    // The budget went with the user's last connection on the node.
    expect((await burst(back, 'r', 20)).pongs).toBe(20);
    await Promise.all([other.close(), back.close()]);
  });
});
