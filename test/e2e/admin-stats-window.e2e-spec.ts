import { MetricsWindow } from '../../src/metrics/metrics-window';
import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { adminClient } from '../support/admin-client';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect } from '../support/ws-client';

interface Window {
  node: string;
  intervalMs: number;
  capacity: number;
  times: number[];
  series: { name: string; values: (number | null)[] }[];
}

/** GET /admin/stats/window: the dashboard's charts, sampled by the node itself (samples forced here). */
describe('admin API: the stats window', () => {
  let server: TestServer;
  let sampler: MetricsWindow;
  const read = async (): Promise<Window> => (await adminClient(server.httpUrl)('/admin/stats/window')).json() as Promise<Window>;
  const last = (w: Window, name: string) => w.series.find((s) => s.name === name)?.values.at(-1);

  beforeAll(async () => {
    server = await startServer();
    sampler = server.app.get(MetricsWindow);
  });
  afterAll(() => server.close());

  it('shows the rates of the traffic between two samples, and the by-code series once they are non-zero', async () => {
    await sampler.sample();
    const before = await read();
    expect(before).toMatchObject({ node: server.config.nodeId, intervalMs: 5000, capacity: 180 });
    expect(before.series.map((s) => s.name)).not.toContain('closes:4503');

    const alice = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice' }) });
    const bob = await connect(server.wsUrl, { token: await mintToken({ sub: 'bob' }) });
    for (const client of [alice, bob]) await client.request('room.join', { room: 'public:window' });
    for (let i = 0; i < 5; i++) await alice.request('room.publish', { room: 'public:window', body: { i } });
    await sampler.sample();
    const during = await read();
    expect(during.times.length).toBe(before.times.length + 1);
    expect(last(during, 'connections')).toBe(2);
    expect(last(during, 'users')).toBe(2);
    expect(last(during, 'publishes')).toBeGreaterThan(0);
    expect(last(during, 'delivered')).toBeGreaterThan(last(during, 'publishes')!);
    expect(last(during, 'delivery_p99')).toBeGreaterThan(0);

    expect((await adminClient(server.httpUrl)('/admin/users/bob/connections', { method: 'DELETE' })).status).toBe(200);
    await bob.closed;
    await alice.close();
    const registry = server.app.get(ConnectionRegistryService);
    await waitFor(() => registry.size === 0);
    await sampler.sample();
    const after = await read();
    expect(last(after, 'closes:4503')).toBeGreaterThan(0);
    expect(last(after, 'connections')).toBe(0);
    expect(last(after, 'delivery_p99')).toBeNull();
  });
});
