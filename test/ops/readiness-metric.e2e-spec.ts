import { DrainService } from '../../src/shutdown/drain.service';
import { metric, scrape } from '../support/metrics';
import { startServer, TestServer } from '../support/test-app';

/** realtime_ready (RealtimeNodeNotReady's series) says what /health/ready answers. */
describe('realtime_ready', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ NODE_ID: 'ready-node' });
  });
  afterAll(() => server.close());

  it('is 1 while /health/ready answers 200 and 0 once it answers 503 (draining)', async () => {
    expect((await fetch(`${server.httpUrl}/health/ready`)).status).toBe(200);
    expect(metric(await scrape(`${server.httpUrl}/metrics`), 'realtime_ready', { node: 'ready-node' })).toBe(1);
    server.app.get(DrainService).draining = true;
    expect((await fetch(`${server.httpUrl}/health/ready`)).status).toBe(503);
    const samples = await scrape(`${server.httpUrl}/metrics`);
    expect(samples.filter((s) => s.name === 'realtime_ready')).toEqual([{ name: 'realtime_ready', labels: { node: 'ready-node' }, value: 0 }]);
  });
});
