import { WebhookReceiver, startWebhookReceiver } from '../support/webhook-receiver';
import { parseMetrics } from '../support/metrics';
import { RedisServer, startRedis } from '../support/redis-server';
import { startServer, TestServer } from '../support/test-app';
import { dashboardExpressions, metricNames, ruleExpressions, usedMetricNames } from './deploy-queries';

describe('metricNames (PromQL)', () => {
  it.each([
    ['up{job="realtime-gateway"} == 0', ['up']],
    ['sum by (node) (rate(realtime_upgrades_total{result!="ok"}[5m])) > 1', ['realtime_upgrades_total']],
    ['histogram_quantile(0.99, sum by (node, le) (rate(a_bucket{node=~"$node"}[$__rate_interval])))', ['a_bucket']],
    ['max without (node, instance) (q > 100 and deriv(q[10m]) > 0)', ['q']],
    ['x{code="has space (and) or"} / on(node) group_left y offset 5m', ['x', 'y']],
    ['sum(rate(x[1m])) * 1e3', ['x']],
  ])('%s', (expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });
});

/**
 * The rules and the dashboard select only series a real node exports: one node on Redis with
 * webhooks on, so every optional series exists (realtime_redis_up, the bus, webhooks).
 */
describe('deploy/prometheus rules and deploy/grafana dashboard against a real /metrics', () => {
  let redis: RedisServer;
  let receiver: WebhookReceiver;
  let server: TestServer;

  beforeAll(async () => {
    redis = await startRedis();
    receiver = await startWebhookReceiver();
    server = await startServer({ REDIS_URL: redis.url, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: 'w'.repeat(32) });
  }, 30000);
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    await redis?.stop();
  });

  it('has an expression for each of the 11 alerts and each dashboard panel', () => {
    expect([...ruleExpressions().keys()]).toHaveLength(11);
    expect(dashboardExpressions().length).toBeGreaterThan(20);
    expect(usedMetricNames()).toEqual(expect.arrayContaining(['realtime_connections', 'realtime_publish_delivery_seconds_bucket', 'realtime_ready', 'process_cpu_seconds_total']));
  });

  it('uses only series names a node exports (up aside: Prometheus adds it)', async () => {
    const exported = new Set(parseMetrics(await (await fetch(`${server.httpUrl}/metrics`)).text()).map((s) => s.name));
    const missing = usedMetricNames().filter((name) => name !== 'up' && !exported.has(name));
    expect(missing).toEqual([]);
  });
});
