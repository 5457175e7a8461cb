import { createServer, Server, Socket } from 'node:net';
import { Queue } from 'bullmq';
import { WEBHOOK_QUEUE_NAME, WEBHOOK_QUEUE_PREFIX } from '../../src/webhooks/webhook-queue.redis';
import { freePort, RedisServer, startRedis } from '../support/redis-server';
import { CLUSTER_NODE_ENV, killServerProcessesAfterEach, startServerProcess } from '../support/server-process';
import { mintToken } from '../support/tokens';
import { waitFor, waitForAsync } from '../support/wait-for';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { connect, TestClient } from '../support/ws-client';

const SECRET = 'webhook-secret-0123456789';

/** The durable webhook queue (BullMQ on Redis): nothing queued is lost with a node killed with -9. */
describe('durable webhooks: a node killed with -9 while the receiver is down', () => {
  killServerProcessesAfterEach();
  let redis: RedisServer;
  let queue: Queue;
  let receiver: WebhookReceiver | undefined;
  const clients: TestClient[] = [];

  beforeEach(async () => {
    redis = await startRedis();
    queue = new Queue(WEBHOOK_QUEUE_NAME, { connection: { url: redis.url }, prefix: WEBHOOK_QUEUE_PREFIX });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.terminate();
    await receiver?.close();
    await queue.close();
    await redis.stop();
  });

  /** A receiver that accepts connections and never answers: a's POSTs are in flight (jobs active, locked by a) when it dies. */
  const hangingReceiver = async (port: number) => {
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    };
  };

  it.each([
    ['refuses connections', false],
    ['accepts and never answers (jobs in flight at the kill)', true],
  ])('receiver %s: every event queued before the kill, and the reaper’s closes, arrive once it is back; each session in order', async (_how, hangs) => {
    const receiverPort = await freePort();
    const stopHanging = hangs ? await hangingReceiver(receiverPort) : undefined;
    const env = {
      REDIS_URL: redis.url,
      ...CLUSTER_NODE_ENV,
      WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/hooks`,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_MAX_ATTEMPTS: '100',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '500',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_CONCURRENCY: '4',
    };
    const a = await startServerProcess({ ...env, NODE_ID: 'a' });
    const sessions: string[] = [];
    for (let i = 0; i < 6; i++) {
      const client = await connect(a.wsUrl, { token: await mintToken({ sub: `user-${i}` }) });
      clients.push(client);
      sessions.push(client.frames[0].data.sessionId as string);
      await client.request('room.join', { room: `public:r${i % 2}` });
    }
    // Half close (opened, joined, left, closed), half stay open until the kill (opened, joined).
    for (const client of clients.slice(0, 3)) await client.close();
    const expected = 3 * 4 + 3 * 2;
    const pending = async () => Object.values(await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized')).reduce((s, n) => s + n, 0);
    await waitForAsync(async () => (await pending()) === expected, 10_000);
    const queuedIds = (await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized'])).map((job) => job!.id!);
    expect(queuedIds).toHaveLength(expected);

    if (hangs) await waitForAsync(async () => (await queue.getActiveCount()) > 0, 5000);
    a.child.kill('SIGKILL');
    await a.exited;
    // A survivor reaps a's open sessions (room.left, connection.closed for each) and takes over a's jobs.
    await startServerProcess({ ...env, NODE_ID: 'b' });
    await waitForAsync(async () => (await pending()) >= expected + 3 * 2, 10_000);

    await stopHanging?.();
    receiver = await startWebhookReceiver(() => 200, receiverPort);
    // a's jobs that were active when it died come back once their lock expires (10 s).
    await waitFor(() => new Set(receiver!.deliveries.map((d) => d.event.id)).size >= expected + 6, 40_000, 100);
    const arrived = new Set(receiver.deliveries.map((d) => d.event.id));
    for (const id of queuedIds) expect(arrived).toContain(id);
    for (const sessionId of sessions) {
      const first = receiver.events().filter((e) => e.data.sessionId === sessionId);
      expect(first.map((e) => e.type)).toEqual(['connection.opened', 'room.joined', 'room.left', 'connection.closed']);
    }
    const reaped = receiver.events().filter((e) => e.type === 'connection.closed' && e.data.code === 1006);
    expect(reaped.map((e) => e.node)).toEqual(['a', 'a', 'a']);
  }, 90_000);
});
