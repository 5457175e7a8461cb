import { adminClient } from '../support/admin-client';
import { metric, scrape } from '../support/metrics';
import { serversPerTest, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor, waitForAsync } from '../support/wait-for';
import { startWebhookReceiver, signatureIsValid, WebhookReceiver } from '../support/webhook-receiver';
import { connect, TestClient } from '../support/ws-client';

const SECRET = 'webhook-secret-0123456789';

describe('lifecycle webhooks', () => {
  const start = serversPerTest();
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  const setup = async (respond?: Parameters<typeof startWebhookReceiver>[0], env: Record<string, string> = {}) => {
    const receiver = await startWebhookReceiver(respond);
    receivers.push(receiver);
    const server = await start({ WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_MS: '200', ...env });
    return { receiver, server };
  };
  const sessionOf = (client: TestClient) => client.frames[0].data.sessionId as string;
  const webhookMetric = async (server: TestServer, name: string, labels?: Record<string, string>) => metric(await scrape(`${server.httpUrl}/metrics`), name, labels);

  it('POSTs connection.opened and connection.closed, signed, each with its own id', async () => {
    const { receiver, server } = await setup();
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice' }) });
    await client.close();
    await waitFor(() => receiver.deliveries.length === 2);
    const [opened, closed] = receiver.deliveries;
    expect(opened.event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'connection.opened',
      ts: expect.any(Number),
      node: server.config.nodeId,
      data: { sessionId: sessionOf(client), userId: 'alice', remoteAddress: expect.stringContaining('127.0.0.1') },
    });
    expect(closed.event).toMatchObject({ type: 'connection.closed', data: { sessionId: sessionOf(client), userId: 'alice', code: 1005, durationMs: expect.any(Number) } });
    expect(opened.event.id).not.toBe(closed.event.id);
    for (const delivery of receiver.deliveries) {
      expect(signatureIsValid(SECRET, delivery)).toBe(true);
      expect(signatureIsValid('another-secret-0123456789', delivery)).toBe(false);
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['x-webhook-id']).toBe(delivery.event.id);
      expect(delivery.headers['x-webhook-attempt']).toBe('1');
    }
    expect(signatureIsValid(SECRET, { ...opened, body: opened.body.replace('alice', 'mallory') })).toBe(false);
  });

  it('POSTs room.joined and room.left, on leave and on disconnect, in order', async () => {
    const { receiver, server } = await setup();
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice' }) });
    await client.request('room.join', { room: 'public:a' });
    await client.request('room.join', { room: 'public:a' }); // already in: no event
    await client.request('room.leave', { room: 'public:a' });
    await client.request('room.join', { room: 'public:b' });
    await client.close();
    await waitFor(() => receiver.deliveries.some((d) => d.event.type === 'connection.closed'));
    const session = sessionOf(client);
    expect(receiver.events().map((e) => [e.type, e.data])).toEqual([
      ['connection.opened', expect.objectContaining({ sessionId: session })],
      ['room.joined', { sessionId: session, userId: 'alice', room: 'public:a' }],
      ['room.left', { sessionId: session, userId: 'alice', room: 'public:a' }],
      ['room.joined', { sessionId: session, userId: 'alice', room: 'public:b' }],
      ['room.left', { sessionId: session, userId: 'alice', room: 'public:b' }],
      ['connection.closed', expect.objectContaining({ sessionId: session })],
    ]);
    expect(new Set(receiver.deliveries.map((d) => d.event.id)).size).toBe(6);
  });

  it('retries after 500 with backoff, the same id and body each time, freshly signed', async () => {
    const attempts = new Map<string, number>();
    const { receiver, server } = await setup((d) => {
      const n = (attempts.get(d.event.id) ?? 0) + 1;
      attempts.set(d.event.id, n);
      return n < 3 ? 500 : 200;
    });
    const client = await connect(server.wsUrl, { token: await mintToken() });
    await waitFor(() => receiver.deliveries.length === 3);
    const tries = receiver.deliveries;
    expect(new Set(tries.map((d) => d.event.id)).size).toBe(1);
    expect(new Set(tries.map((d) => d.body)).size).toBe(1);
    expect(tries.map((d) => d.headers['x-webhook-attempt'])).toEqual(['1', '2', '3']);
    for (const d of tries) expect(signatureIsValid(SECRET, d)).toBe(true);
    // Equal jitter: at least half of 50 ms, then half of 100 ms.
    expect(tries[1].receivedAt - tries[0].receivedAt).toBeGreaterThanOrEqual(24);
    expect(tries[2].receivedAt - tries[1].receivedAt).toBeGreaterThanOrEqual(49);
    expect(receiver.events()).toHaveLength(1);
    expect(await webhookMetric(server, 'realtime_webhook_retries_total')).toBe(2);
    expect(await webhookMetric(server, 'realtime_webhook_events_total', { result: 'delivered' })).toBe(1);
    await client.close();
  });

  it('delivers again after a timeout: at least once, so the receiver de-duplicates by id', async () => {
    let first = true;
    const { receiver, server } = await setup(async () => {
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      return 204;
    }, { WEBHOOK_TIMEOUT_MS: '100' });
    const client = await connect(server.wsUrl, { token: await mintToken() });
    await waitFor(() => receiver.deliveries.length === 2);
    expect(receiver.deliveries[0].event).toEqual(receiver.deliveries[1].event);
    expect(receiver.events()).toHaveLength(1);
    await client.close();
  });

  it('gives up at once on a 4xx answer, and after WEBHOOK_MAX_ATTEMPTS of 5xx', async () => {
    const { receiver, server } = await setup((d) => (d.event.type === 'connection.opened' ? 400 : 503), { WEBHOOK_MAX_ATTEMPTS: '3' });
    const client = await connect(server.wsUrl, { token: await mintToken() });
    await client.close();
    await waitFor(() => receiver.deliveries.length === 4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.deliveries.map((d) => d.event.type)).toEqual(['connection.opened', 'connection.closed', 'connection.closed', 'connection.closed']);
    expect(await webhookMetric(server, 'realtime_webhook_events_total', { result: 'failed' })).toBe(2);
  });

  it('bounds its queue, counts what overflows, and never holds up messages', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { receiver, server } = await setup(() => released.then(() => 200), { WEBHOOK_QUEUE_MAX_EVENTS: '2', WEBHOOK_TIMEOUT_MS: '10000' });
    const clients: TestClient[] = [];
    for (let i = 0; i < 4; i++) clients.push(await connect(server.wsUrl, { token: await mintToken({ sub: `u${i}` }) }));
    const started = Date.now();
    expect((await clients[0].request('room.publish', { room: 'public:q', body: 1 })).type).toBe('ack');
    expect(Date.now() - started).toBeLessThan(500);
    expect(await webhookMetric(server, 'realtime_webhook_events_total', { result: 'overflow' })).toBe(2);
    expect(await webhookMetric(server, 'realtime_webhook_queue_events')).toBe(2);
    release();
    await waitFor(() => receiver.deliveries.length === 2);
    expect(receiver.events().map((e) => e.data.userId)).toEqual(['u0', 'u1']);
    await Promise.all(clients.map((c) => c.close()));
  });

  it('delivers the closes of a graceful shutdown before the process ends', async () => {
    const { receiver, server } = await setup();
    const clients = [await connect(server.wsUrl, { token: await mintToken({ sub: 'a' }) }), await connect(server.wsUrl, { token: await mintToken({ sub: 'b' }) })];
    await server.close();
    const closes = receiver.events().filter((e) => e.type === 'connection.closed');
    expect(closes.map((e) => [e.data.userId, e.data.code]).sort()).toEqual([
      ['a', 1001],
      ['b', 1001],
    ]);
    expect(clients.every((c) => c.socket.readyState === c.socket.CLOSED)).toBe(true);
  });

  it('lists dead letters at GET /admin/webhooks/failed, and retries one or all', async () => {
    let up = false;
    const { receiver, server } = await setup(() => (up ? 200 : 500), { WEBHOOK_MAX_ATTEMPTS: '2' });
    const api = adminClient(server.httpUrl);
    const clients = [await connect(server.wsUrl, { token: await mintToken({ sub: 'a' }) }), await connect(server.wsUrl, { token: await mintToken({ sub: 'b' }) })];
    await waitFor(() => receiver.deliveries.length === 4);
    const page = async (query = '') => (await (await api(`/admin/webhooks/failed${query}`)).json()) as { total: number; items: { event: { id: string; data: { userId: string } }; attempts: number; reason: string; failedAt: string }[] };
    await waitForAsync(async () => (await page()).total === 2);
    const all = await page();
    expect(all.items.map((f) => f.event.data.userId)).toEqual(['b', 'a']);
    expect(all.items[0]).toEqual({ event: expect.objectContaining({ type: 'connection.opened' }), attempts: 2, reason: 'retry: 500', failedAt: expect.stringMatching(/Z$/) });
    expect(await page('?limit=1&offset=1')).toEqual({ total: 2, items: [all.items[1]] });
    expect((await api('/admin/webhooks/failed?limit=0')).status).toBe(400);
    expect((await api('/admin/webhooks/failed', { token: null })).status).toBe(401);
    up = true;
    const one = await api(`/admin/webhooks/failed/${all.items[1].event.id}/retry`, { method: 'POST' });
    expect([one.status, await one.json()]).toEqual([200, { retried: 1 }]);
    expect((await api(`/admin/webhooks/failed/${all.items[1].event.id}/retry`, { method: 'POST' })).status).toBe(404);
    const rest = await api('/admin/webhooks/failed/retry', { method: 'POST' });
    expect([rest.status, await rest.json()]).toEqual([200, { retried: 1 }]);
    await waitFor(() => receiver.deliveries.length === 6);
    expect(receiver.deliveries.slice(4).map((d) => [d.event.data.userId, d.headers['x-webhook-attempt']])).toEqual([
      ['a', '1'],
      ['b', '1'],
    ]);
    expect(await page()).toEqual({ total: 0, items: [] });
    await Promise.all(clients.map((c) => c.close()));
  });

  it('answers 404 at /admin/webhooks/failed when webhooks are off', async () => {
    const server = await start();
    expect((await adminClient(server.httpUrl)('/admin/webhooks/failed')).status).toBe(404);
  });
});
