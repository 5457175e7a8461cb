import type { AppConfig, WebhookConfig } from '../../src/config';
import { MetricsRegistry } from '../../src/metrics/metrics-registry';
import { webhookEvent, WebhookEvent } from '../../src/webhooks/webhook-event';
import type { WebhookQueue } from '../../src/webhooks/webhook-queue';
import { WebhookMetrics } from '../../src/webhooks/webhook.metrics';
import { waitFor, waitForAsync } from '../support/wait-for';
import { Responder, startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { fresh } from './fresh';

export type MakeWebhookQueue = (webhook: WebhookConfig, metrics: WebhookMetrics) => WebhookQueue;

const webhookConfig = (url: string, overrides: Partial<WebhookConfig>): WebhookConfig => ({
  url,
  secret: 'webhook-secret-0123456789',
  timeoutMs: 1000,
  maxAttempts: 3,
  retryBaseMs: 20,
  retryMaxMs: 80,
  queueMaxEvents: 1000,
  concurrency: 4,
  failedMax: 100,
  ...overrides,
});

/**
 * What every WebhookQueue does (webhook-queue.ts): delivery at least once with the event's id,
 * retries, the dead-letter list and its admin operations, order per session, a bounded backlog.
 */
export function describeWebhookQueueContract(name: string, make: MakeWebhookQueue, { concurrent }: { concurrent: boolean }): void {
  describe(`WebhookQueue contract: ${name}`, () => {
    const open: { queue: WebhookQueue; receiver: WebhookReceiver }[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map(async ({ queue, receiver }) => Promise.all([queue.close(0), receiver.close()])));
    });

    const setup = async (respond?: Responder, overrides: Partial<WebhookConfig> = {}) => {
      const receiver = await startWebhookReceiver(respond);
      const metrics = new WebhookMetrics(new MetricsRegistry({ nodeId: fresh('node') } as AppConfig));
      const queue = make(webhookConfig(receiver.url, overrides), metrics);
      open.push({ queue, receiver });
      return { receiver, queue, metrics };
    };
    const event = (type: WebhookEvent['type'], sessionId = fresh('session'), extra: Record<string, unknown> = {}) =>
      webhookEvent(type, 'node-a', { sessionId, userId: 'alice', ...extra });

    it('delivers each event with its id, the body the event itself', async () => {
      const { receiver, queue, metrics } = await setup();
      const events = [event('connection.opened'), event('connection.opened')];
      for (const e of events) queue.enqueue(e);
      await waitFor(() => receiver.deliveries.length === 2);
      expect(receiver.events().map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
      for (const d of receiver.deliveries) expect(d.headers['x-webhook-id']).toBe(d.event.id);
      await waitFor(() => metrics.delivered.value === 2);
    });

    it('retries a 5xx with the same id, attempt numbers rising, then delivers', async () => {
      let calls = 0;
      const { receiver, queue } = await setup(() => (++calls < 3 ? 503 : 200));
      const e = event('connection.opened');
      queue.enqueue(e);
      await waitFor(() => receiver.deliveries.length === 3);
      expect(receiver.deliveries.map((d) => [d.event.id, d.headers['x-webhook-attempt']])).toEqual([
        [e.id, '1'],
        [e.id, '2'],
        [e.id, '3'],
      ]);
      expect(await queue.failed(0, 10)).toEqual({ items: [], total: 0 });
    });

    it('a receiver that answers 500 forever: dead letters after the attempts, bounded, other events keep flowing', async () => {
      const { receiver, queue } = await setup((d) => (d.event.data.userId === 'bad' ? 500 : 200), { failedMax: 3 });
      const bad = Array.from({ length: 5 }, () => event('connection.opened', fresh('session'), { userId: 'bad' }));
      const good = Array.from({ length: 5 }, () => event('connection.opened'));
      for (let i = 0; i < 5; i++) queue.enqueue(bad[i]), queue.enqueue(good[i]);
      await waitForAsync(async () => (await queue.failed(0, 10)).total === 3 && queue.backlog === 0, 10_000);
      const delivered = receiver.deliveries.filter((d) => d.event.data.userId !== 'bad').map((d) => d.event.id);
      expect(new Set(delivered)).toEqual(new Set(good.map((e) => e.id)));
      expect(receiver.deliveries.filter((d) => d.event.data.userId === 'bad')).toHaveLength(15);
      const page = await queue.failed(0, 10);
      expect(page.items).toHaveLength(3);
      for (const item of page.items) {
        expect(item).toEqual({ event: expect.objectContaining({ type: 'connection.opened' }), attempts: 3, reason: expect.stringContaining('500'), failedAt: expect.any(Number) });
      }
      // The three given up last were kept, newest first.
      for (const item of page.items) expect(bad.map((e) => e.id)).toContain(item.event.id);
      expect(page.items.map((f) => f.failedAt)).toEqual(page.items.map((f) => f.failedAt).sort((a, b) => b - a));
      expect((await queue.failed(1, 1)).items).toEqual([page.items[1]]);
    });

    it('gives a 4xx up at once', async () => {
      const { receiver, queue } = await setup(() => 400);
      queue.enqueue(event('connection.opened'));
      await waitForAsync(async () => (await queue.failed(0, 10)).total === 1);
      expect(receiver.deliveries).toHaveLength(1);
      expect((await queue.failed(0, 10)).items[0]).toMatchObject({ attempts: 1, reason: expect.stringContaining('400') });
    });

    it('retries one dead letter, then all, with fresh attempts', async () => {
      let up = false;
      const { receiver, queue } = await setup(() => (up ? 200 : 500), { maxAttempts: 2 });
      const events = [event('connection.opened'), event('connection.opened'), event('connection.opened')];
      for (const e of events) queue.enqueue(e);
      await waitForAsync(async () => (await queue.failed(0, 10)).total === 3, 10_000);
      up = true;
      expect(await queue.retry('no-such-event')).toBe(false);
      const before = receiver.deliveries.length;
      expect(await queue.retry(events[1].id)).toBe(true);
      await waitFor(() => receiver.deliveries.slice(before).some((d) => d.event.id === events[1].id));
      expect(receiver.deliveries.slice(before).map((d) => [d.event.id, d.headers['x-webhook-attempt']])).toEqual([[events[1].id, '1']]);
      await waitForAsync(async () => (await queue.failed(0, 10)).total === 2);
      expect(await queue.retry(events[1].id)).toBe(false);
      const beforeAll = receiver.deliveries.length;
      expect(await queue.retryAll()).toBe(2);
      await waitFor(() => receiver.deliveries.length === beforeAll + 2);
      expect(
        receiver.deliveries
          .slice(beforeAll)
          .map((d) => [d.event.id, d.headers['x-webhook-attempt']])
          .sort(),
      ).toEqual([[events[0].id, '1'], [events[2].id, '1']].sort());
      expect((await queue.failed(0, 10)).total).toBe(0);
    });

    it("keeps a session's events in order while its first is retried, and other sessions flow meanwhile", async () => {
      const session = fresh('session');
      let openedTries = 0;
      const { receiver, queue } = await setup((d) => (d.event.type === 'connection.opened' && d.event.data.sessionId === session && ++openedTries < 3 ? 503 : 200), {
        retryBaseMs: 100,
        retryMaxMs: 200,
      });
      const chain = [event('connection.opened', session), event('room.joined', session, { room: 'public:a' }), event('room.left', session, { room: 'public:a' }), event('connection.closed', session, { code: 1000 })];
      const other = event('connection.opened');
      for (const e of chain) queue.enqueue(e);
      queue.enqueue(other);
      await waitFor(() => receiver.events().filter((e) => e.data.sessionId === session).length === 4, 10_000);
      const delivered = receiver.deliveries.filter((d) => d.event.data.sessionId === session && !(d.event.type === 'connection.opened' && d.headers['x-webhook-attempt'] !== '3'));
      expect(delivered.map((d) => d.event.type)).toEqual(chain.map((e) => e.type));
      await waitFor(() => receiver.deliveries.some((d) => d.event.id === other.id));
      if (concurrent) {
        // One session's retries do not hold up the others (the memory queue sends one at a time).
        const otherAt = receiver.deliveries.findIndex((d) => d.event.id === other.id);
        const openedAt = receiver.deliveries.findIndex((d) => d.event.id === chain[0].id && d.headers['x-webhook-attempt'] === '3');
        expect(otherAt).toBeLessThan(openedAt);
      }
    });

    it('bounds what waits: past WEBHOOK_QUEUE_MAX_EVENTS events are dropped and counted', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const { receiver, queue, metrics } = await setup(() => released.then(() => 200), { queueMaxEvents: 5, timeoutMs: 10_000 });
      for (let i = 0; i < 20; i++) queue.enqueue(event('connection.opened'));
      expect(metrics.overflow.value).toBe(15);
      expect(queue.backlog).toBeLessThanOrEqual(5);
      release();
      await waitFor(() => receiver.events().length === 5, 10_000);
    });
  });
}
