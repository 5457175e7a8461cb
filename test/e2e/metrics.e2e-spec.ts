import { WebSocket } from 'ws';
import { MetricsServer } from '../../src/metrics/metrics.server';
import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { adminClient } from '../support/admin-client';
import { metric, Sample, scrape } from '../support/metrics';
import { serversPerTest, startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, TestClient, tryUpgrade } from '../support/ws-client';

describe('metrics: values move with traffic', () => {
  let server: TestServer;
  const samples = () => scrape(`${server.httpUrl}/metrics`);

  beforeAll(async () => {
    server = await startServer({ HEARTBEAT_INTERVAL_MS: '200', HEARTBEAT_TIMEOUT_MS: '100' });
  });
  afterAll(() => server.close());

  it('serves the Prometheus text format with process metrics, every series labelled with the node', async () => {
    const response = await fetch(`${server.httpUrl}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const all = await samples();
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'realtime_connections']) {
      expect(all.find((s) => s.name === name)?.labels.node).toBe(server.config.nodeId);
    }
  });

  it('counts upgrades, messages, errors, bytes, closes and history as a client talks', async () => {
    const before = await samples();
    const delta = (after: Sample[], name: string, labels?: Record<string, string>) => metric(after, name, labels) - metric(before, name, labels);
    expect((await tryUpgrade(server.wsUrl, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    const client = await connect(server.wsUrl, { token: await mintToken() });
    expect(metric(await samples(), 'realtime_connections')).toBe(metric(before, 'realtime_connections') + 1);
    await client.request('ping');
    await client.request('no.such.type');
    client.sendRaw('{not json');
    await client.nextOfType('error');
    await client.request('room.join', { room: 'public:metrics' });
    await client.request('room.publish', { room: 'public:metrics', body: 'x'.repeat(100) });
    await client.close();
    await waitFor(() => server.app.get(ConnectionRegistryService).size === 0);
    const after = await samples();
    expect(delta(after, 'realtime_upgrades_total', { result: 'ok' })).toBe(1);
    expect(delta(after, 'realtime_upgrades_total', { result: '401' })).toBe(1);
    expect(delta(after, 'realtime_messages_in_total', { type: 'ping' })).toBe(1);
    expect(delta(after, 'realtime_messages_in_total', { type: 'unknown' })).toBe(1);
    expect(delta(after, 'realtime_messages_in_total', { type: 'room.publish' })).toBe(1);
    expect(delta(after, 'realtime_messages_out_total', { type: 'welcome' })).toBe(1);
    expect(delta(after, 'realtime_messages_out_total', { type: 'pong' })).toBe(1);
    expect(delta(after, 'realtime_messages_out_total', { type: 'message' })).toBe(1);
    expect(delta(after, 'realtime_messages_out_total', { type: 'ack' })).toBe(2);
    expect(delta(after, 'realtime_messages_out_total', { type: 'error' })).toBe(2);
    expect(delta(after, 'realtime_errors_total', { code: 'BAD_JSON' })).toBe(1);
    expect(delta(after, 'realtime_errors_total', { code: 'UNKNOWN_TYPE' })).toBe(1);
    expect(delta(after, 'realtime_bytes_in_total')).toBeGreaterThan(100);
    expect(delta(after, 'realtime_bytes_out_total')).toBeGreaterThan(200);
    expect(delta(after, 'realtime_closes_total', { code: '1005' })).toBe(1);
    expect(metric(after, 'realtime_connections')).toBe(metric(before, 'realtime_connections'));
    expect(metric(after, 'realtime_history_streams')).toBeGreaterThanOrEqual(1);
    expect(delta(after, 'realtime_history_bytes')).toBeGreaterThan(100);
  });

  it('counts users and rooms', async () => {
    const clients = [await connect(server.wsUrl, { token: await mintToken({ sub: 'u1' }) }), await connect(server.wsUrl, { token: await mintToken({ sub: 'u2' }) })];
    await clients[0].request('room.join', { room: 'public:one' });
    const all = await samples();
    expect(metric(all, 'realtime_users')).toBe(2);
    expect(metric(all, 'realtime_rooms')).toBe(1);
    await Promise.all(clients.map((c) => c.close()));
  });

  it('observes the publish-to-delivery latency of live messages', async () => {
    const before = metric(await samples(), 'realtime_publish_delivery_seconds_count');
    const client = await connect(server.wsUrl, { token: await mintToken() });
    await client.request('room.join', { room: 'public:latency' });
    await client.request('room.publish', { room: 'public:latency', body: 1 });
    await client.close();
    const after = await samples();
    expect(metric(after, 'realtime_publish_delivery_seconds_count')).toBe(before + 1);
    expect(metric(after, 'realtime_publish_delivery_seconds_bucket', { le: '+Inf' })).toBe(before + 1);
  });

  it('counts heartbeat terminations and their 1006 closes', async () => {
    const before = await samples();
    const socket = new WebSocket(server.wsUrl, { headers: { authorization: `Bearer ${await mintToken({ sub: 'silent' })}` }, autoPong: false });
    expect((await new TestClient(socket).closed).code).toBe(1006);
    await waitFor(() => ![...server.app.get(ConnectionRegistryService).all()].some((s) => s.userId === 'silent'));
    const after = await samples();
    expect(metric(after, 'realtime_terminations_total', { reason: 'heartbeat' }) - metric(before, 'realtime_terminations_total', { reason: 'heartbeat' })).toBe(1);
    expect(metric(after, 'realtime_closes_total', { code: '1006' }) - metric(before, 'realtime_closes_total', { code: '1006' })).toBe(1);
  });
});

describe('metrics: slow consumers', () => {
  const start = serversPerTest();

  it('counts a slow-consumer close', async () => {
    const server = await start({ MAX_PAYLOAD_BYTES: String(4 * 1024 * 1024), SEND_BUFFER_MAX_BYTES: '1024' });
    const stalled = await connect(server.wsUrl, { token: await mintToken({ sub: 'stalled' }) });
    stalled.socket.pause();
    const api = adminClient(server.httpUrl);
    const body = 'z'.repeat(3 * 1024 * 1024);
    // Until the kernel's buffers are full, writes do not queue in the server: broadcast until they do.
    for (let i = 0; i < 20 && metric(await scrape(`${server.httpUrl}/metrics`), 'realtime_terminations_total', { reason: 'slow_consumer' }) === 0; i++) {
      await api('/admin/broadcast', { method: 'POST', json: { body } });
    }
    const all = await scrape(`${server.httpUrl}/metrics`);
    expect(metric(all, 'realtime_terminations_total', { reason: 'slow_consumer' })).toBe(1);
  }, 20000);
});

describe('metrics: access', () => {
  const start = serversPerTest();
  const METRICS_TOKEN = 'metrics-token-0123456789';

  it('requires METRICS_TOKEN as a bearer token when it is set', async () => {
    const server = await start({ METRICS_TOKEN });
    expect((await fetch(`${server.httpUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.httpUrl}/metrics`, { headers: { authorization: 'Bearer wrong-wrong-wrong-wrong' } })).status).toBe(401);
    expect(metric(await scrape(`${server.httpUrl}/metrics`, METRICS_TOKEN), 'realtime_connections')).toBe(0);
  });

  it('serves /metrics on METRICS_PORT only, with the token when one is set', async () => {
    const server = await start({ METRICS_PORT: '0', METRICS_TOKEN });
    expect((await fetch(`${server.httpUrl}/metrics`)).status).toBe(404);
    const url = `http://127.0.0.1:${server.app.get(MetricsServer).port}`;
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/other`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
    const client: TestClient = await connect(server.wsUrl, { token: await mintToken() });
    expect(metric(await scrape(`${url}/metrics`, METRICS_TOKEN), 'realtime_connections')).toBe(1);
    await client.close();
  });
});
