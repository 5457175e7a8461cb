import { serversPerTest } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect } from '../support/ws-client';

describe('health', () => {
  const start = serversPerTest();

  it('is live and ready while serving, and needs no credentials', async () => {
    const server = await start();
    const live = await fetch(`${server.httpUrl}/health/live`);
    expect(live.status).toBe(200);
    expect(live.headers.get('cache-control')).toContain('no-store');
    expect(await live.json()).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    const ready = await fetch(`${server.httpUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const notDraining = { shutdown: { status: 'up' } };
    expect(await ready.json()).toEqual({ status: 'ok', info: notDraining, error: {}, details: notDraining });
  });

  it('details readiness and Redis at /health (one node: no Redis to need)', async () => {
    const server = await start();
    const detail = await fetch(`${server.httpUrl}/health`);
    expect(detail.status).toBe(200);
    const up = { shutdown: { status: 'up' }, redis: { status: 'up', mode: 'single node' } };
    expect(await detail.json()).toEqual({ status: 'ok', info: up, error: {}, details: up });
  });

  it('turns not ready (503) once shutdown begins, while the drain is still running and the process live', async () => {
    const server = await start();
    // A peer that stops reading holds the drain open (until its close is forced after 2 s).
    const stuck = await connect(server.wsUrl, { token: await mintToken() });
    stuck.socket.pause();
    let drained = false;
    void stuck.closed.then(() => (drained = true));
    const closing = server.app.close();
    let ready = await fetch(`${server.httpUrl}/health/ready`);
    for (let i = 0; i < 50 && ready.status === 200; i++) ready = await fetch(`${server.httpUrl}/health/ready`);
    expect(ready.status).toBe(503);
    const body = await ready.json();
    expect(['error', 'shutting_down']).toContain(body.status);
    expect(body.error).toEqual({ shutdown: { status: 'down', message: 'draining connections' } });
    expect((await fetch(`${server.httpUrl}/health/live`)).status).toBe(200);
    expect(drained).toBe(false);
    await closing;
  });
});
