/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { Global, Module } from '@nestjs/common';
import { METRICS_WINDOW_OPTIONS } from '../../src/metrics/metrics-window';
import { launchChromium } from '../support/browser';
import { startServer, TEST_ADMIN_TOKEN, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, TestClient } from '../support/ws-client';

/** Kept for people to look at (gitignored): the charts after traffic. */
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/** Samples every 250 ms instead of 5 s, so the test waits for real samples, not minutes. */
@Global()
@Module({ providers: [{ provide: METRICS_WINDOW_OPTIONS, useValue: { sampleMs: 250 } }], exports: [METRICS_WINDOW_OPTIONS] })
class FastWindowModule {}

/** The dashboard's charts in a real Chromium: uPlot served locally, rates after traffic, a reload keeps them. */
describe('admin dashboard charts in a real browser', () => {
  let server: TestServer;
  let chromium: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startServer({}, [FastWindowModule]);
    chromium = await launchChromium();
    page = await chromium.newPage({ viewport: { width: 1400, height: 1100 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 30000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await chromium?.close();
    await server?.close();
  });

  const signIn = async () => {
    await page.goto(`${server.httpUrl}/admin/ui/`);
    await page.fill('[data-testid=token]', TEST_ADMIN_TOKEN);
    await page.click('[data-testid=sign-in]');
    await page.waitForSelector('[data-testid=chart-delivered] canvas', { timeout: 10000 });
  };
  /** The highest value a chart draws (all its lines), once it is above 0. */
  const peakOf = async (chart: string) => {
    await page.waitForFunction((id) => Number(document.querySelector(`[data-testid=chart-${id}]`)?.getAttribute('data-peak')) > 0, chart, { timeout: 10000 });
    return Number(await page.getAttribute(`[data-testid=chart-${chart}]`, 'data-peak'));
  };

  it('serves uPlot from the package, not a CDN', async () => {
    const script = await fetch(`${server.httpUrl}/admin/ui/vendor/uPlot.iife.min.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('uPlot');
    expect((await fetch(`${server.httpUrl}/admin/ui/vendor/uPlot.min.css`)).status).toBe(200);
  });

  it('charts connections, delivered messages, publishes, error frames and delivery latency after traffic', async () => {
    await signIn();
    expect(await page.getAttribute('[data-testid=chart-delivered]', 'data-peak')).toBe('0');
    expect(await page.textContent('[data-testid=charts-span]')).toContain('the last 45 s, one sample every 0.25 s');

    for (const user of ['ann', 'ben', 'cat']) {
      const client = await connect(server.wsUrl, { token: await mintToken({ sub: user }) });
      clients.push(client);
      await client.request('room.join', { room: 'public:charts' });
    }
    for (let i = 0; i < 20; i++) await clients[i % 3].request('room.publish', { room: 'public:charts', body: { i } });
    clients[0].sendRaw('not json');
    await clients[0].nextOfType('error');

    expect(await peakOf('connections')).toBe(3);
    expect(await peakOf('publishes')).toBeGreaterThan(0);
    expect(await peakOf('delivered')).toBeGreaterThan(await peakOf('publishes'));
    expect(await peakOf('errors')).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=chart-errors] .u-legend')).toContain('BAD_JSON');
    expect(await peakOf('latency')).toBeGreaterThan(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'admin-charts.png'), fullPage: true });
  }, 40000);

  it('shows the same window again after a reload (the node keeps it, not the page)', async () => {
    await page.reload();
    await signIn();
    expect(await peakOf('delivered')).toBeGreaterThan(0);
    expect(await peakOf('connections')).toBe(3);
    expect(pageErrors).toEqual([]);
  }, 30000);

  it('draws a line per node and their sum as the cluster line, lined up on the sample grid', async () => {
    await page.click('[data-testid=sign-out]'); // stops the refresh: the windows below stay as given
    const legend = await page.evaluate(() => {
      const window = (node: string, offsetMs: number, delivered: number[]) => ({
        node,
        intervalMs: 5000,
        capacity: 180,
        times: delivered.map((_, i) => 1_700_000_000_000 + i * 5000 + offsetMs),
        series: [{ name: 'delivered', values: delivered }],
      });
      const charts = (globalThis as unknown as { AdminCharts: { update(live: string[], w: object): void } }).AdminCharts;
      charts.update(['node-a', 'node-b'], window('node-a', 12, [1, 2, 3]));
      charts.update(['node-a', 'node-b'], window('node-b', 40, [10, 20, 30]));
      charts.update(['node-b'], window('node-b', 40, [10, 20, 30])); // node-a left the cluster
      charts.update(['node-a', 'node-b'], window('node-a', 12, [1, 2, 3]));
      const figure = document.querySelector('[data-testid=chart-delivered]')!;
      return { labels: [...figure.querySelectorAll('.u-legend .u-label')].map((l) => l.textContent), peak: figure.getAttribute('data-peak') };
    });
    expect(legend).toEqual({ labels: ['Time', 'node-a', 'node-b', 'cluster'], peak: '33' });
  });
});
