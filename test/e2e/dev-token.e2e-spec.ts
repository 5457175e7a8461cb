import { killServerProcessesAfterEach, startServerProcess } from '../support/server-process';
import { serversPerTest } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { connect } from '../support/ws-client';

/** GET /dev/token mints a token for anyone: on with no key configured, or DEV_TOKENS=true, and loudly so. */
describe('the dev token endpoint', () => {
  const start = serversPerTest();
  killServerProcessesAfterEach();

  it('is absent (404) when a key is configured and NODE_ENV is left unset', async () => {
    const server = await start({ NODE_ENV: '' });
    expect((await fetch(`${server.httpUrl}/dev/token?user=mallory`)).status).toBe(404);
  });

  it.each([
    ['no key is configured', { JWT_SECRET: '' }],
    ['DEV_TOKENS=true is set next to a key', { DEV_TOKENS: 'true' }],
  ])('mints working tokens when %s, and warns at start', async (_name, env) => {
    // JSON logs (development would print pretty lines): the warning is read by its level.
    const server = await startServerProcess({ NODE_ENV: '', LOG_FORMAT: 'json', ...env });
    const response = await fetch(`http://127.0.0.1:${server.port}/dev/token?user=dora`);
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const client = await connect(server.wsUrl, { token });
    expect((await client.request('room.join', { room: 'private:anything' })).type).toBe('ack'); // rooms: ["*"]
    await client.close();
    await waitFor(() => /"level":40[^\n]*GET \/dev\/token is on/.test(server.output()), 2000); // log lines are batched
  }, 20000);
});
