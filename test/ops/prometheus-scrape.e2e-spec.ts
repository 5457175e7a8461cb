import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsServer } from '../../src/metrics/metrics.server';
import { freePort, RedisServer, startRedis } from '../support/redis-server';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitForAsync } from '../support/wait-for';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { connect } from '../support/ws-client';
import { PROMETHEUS_DIR, usedMetricNames } from './deploy-queries';

const METRICS_TOKEN = 'metrics-token-for-prometheus-0123';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Debian's Prometheus runs deploy/prometheus/prometheus.yml and its rules as written (only the
 * intervals shortened to 1 s) against two real nodes on Redis, each serving /metrics on its own
 * METRICS_PORT behind METRICS_TOKEN; its HTTP API must then hold every series the rules and the
 * dashboard use, and have evaluated every rule without error.
 */
describe('Prometheus scraping two nodes with deploy/prometheus', () => {
  let redis: RedisServer;
  let receiver: WebhookReceiver;
  const nodes: TestServer[] = [];
  let prometheus: ChildProcess | undefined;
  let dir: string;
  let api: (path: string) => Promise<Json>;
  let log = '';

  beforeAll(async () => {
    redis = await startRedis();
    receiver = await startWebhookReceiver();
    for (const id of ['prom-a', 'prom-b']) {
      nodes.push(
        await startServer({ NODE_ID: id, REDIS_URL: redis.url, METRICS_PORT: '0', METRICS_TOKEN, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: 'w'.repeat(32) }),
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'rg-prometheus-'));
    const config = readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8').replace(/(scrape|evaluation)_interval: 15s/g, '$1_interval: 1s');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    cpSync(join(PROMETHEUS_DIR, 'rules'), join(dir, 'rules'), { recursive: true });
    mkdirSync(join(dir, 'generated'));
    writeFileSync(join(dir, 'generated/metrics-token'), METRICS_TOKEN);
    const targets = nodes.map((n) => `127.0.0.1:${n.app.get(MetricsServer).port}`);
    writeFileSync(join(dir, 'generated/targets.json'), JSON.stringify([{ targets }]));
    const port = await freePort();
    prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prometheus.stderr!.on('data', (chunk) => (log += chunk));
    api = async (path) => (await fetch(`http://127.0.0.1:${port}${path}`)).json();
    await waitForAsync(async () => (await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => undefined))?.status === 200, 20000, 100);
  }, 60000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await Promise.all(nodes.map((n) => n.close()));
    await receiver?.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes both nodes with the token on METRICS_PORT, and finds every series the rules and the dashboard use', async () => {
    // Traffic, so the delivery histogram has observations and the rates move.
    const client = await connect(nodes[0].wsUrl, { token: await mintToken({ sub: 'prom' }) });
    await client.request('room.join', { room: 'public:prom' });
    await client.request('room.publish', { room: 'public:prom', body: { text: 'scraped' } });
    await client.close();

    const upTargets = async () => ((await api('/api/v1/targets')).data.activeTargets as Json[]).filter((t) => t.health === 'up').length;
    await waitForAsync(async () => (await upTargets()) === 2, 20000, 200).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify((await api('/api/v1/targets')).data.activeTargets)}\n${log}`);
    });

    const names = usedMetricNames();
    const present = async () => {
      const query = encodeURIComponent(`count by (__name__, node) ({__name__=~"${names.join('|')}"})`);
      const result = (await api(`/api/v1/query?query=${query}`)).data.result as Json[];
      return names.filter((name) => name === 'up' || ['prom-a', 'prom-b'].every((node) => result.some((r) => r.metric.__name__ === name && r.metric.node === node)));
    };
    // Waits for the scrape that carries them; the assertion below names what is still missing.
    await waitForAsync(async () => (await present()).length === names.length, 10000, 200).catch(() => undefined);
    const found = await present();
    expect(names.filter((name) => !found.includes(name))).toEqual([]);
  }, 40000);

  it('loads every alert rule and evaluates each without error against the real series', async () => {
    const rules = async () => ((await api('/api/v1/rules')).data.groups as Json[]).flatMap((g) => g.rules as Json[]);
    await waitForAsync(async () => (await rules()).every((r) => r.health !== 'unknown'), 10000, 200);
    const all = await rules();
    expect(all).toHaveLength(11);
    expect(all.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    const firing = all.filter((r) => r.state !== 'inactive').map((r) => r.name);
    expect(firing).toEqual([]);
  }, 20000);
});
