import { setTimeout as delay } from 'node:timers/promises';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { RedisConnection, WebhookConfig } from '../config';
import { queueConnection } from '../redis/redis-clients';
import type { WebhookWarn } from './webhook-queue.memory';
import { postWebhook, retryDelayMs } from './webhook-sender';
import type { WebhookEvent } from './webhook-event';
import type { FailedPage, WebhookQueue } from './webhook-queue';
import type { WebhookMetrics } from './webhook.metrics';

export const WEBHOOK_QUEUE_NAME = 'webhooks';
/** A hash tag: every key of the queue in one slot, as BullMQ needs on a Redis Cluster. */
export const WEBHOOK_QUEUE_PREFIX = '{rtg-webhooks}';
/** The id of the last event queued for a session: the event the next one of that session waits for. */
const lastEventKey = (sessionId: string) => `${WEBHOOK_QUEUE_PREFIX}:last:${sessionId}`;
/** A session's chain link outlives any plausible backlog, and expires by itself. */
const CHAIN_TTL_S = 7 * 24 * 3600;
const PENDING_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
const BACKOFF = 'webhook';

interface JobData {
  event: WebhookEvent;
  /** The id of the session's previous event: this one is not sent while that one is still queued. */
  after?: string;
}

export interface BullMqQueueOptions {
  /** The BullMQ queue's name (tests: one per test on a shared server). */
  name?: string;
  /** How long a worker's hold on a job lasts without renewal: a killed node's jobs go back to the queue after about this long. */
  lockMs?: number;
  /** How often the node reads the queue's length (the gauge and WEBHOOK_QUEUE_MAX_EVENTS). */
  countEveryMs?: number;
}

/**
 * The durable queue (with Redis): a BullMQ queue shared by every node, each node a worker of
 * WEBHOOK_CONCURRENCY. Every event is a job (job id = event id), attempted WEBHOOK_MAX_ATTEMPTS
 * times with the same backoff as the memory queue; a job given up stays in BullMQ's failed set,
 * the dead-letter list (the newest WEBHOOK_FAILED_MAX). A job held by a node killed with -9 goes
 * back to the queue when its lock expires (`lockMs`), and another node sends it: at least once.
 *
 * Order per session without BullMQ Pro's groups: each job names the session's previous event
 * (`after`, swapped atomically in Redis with SET ... GET, so across nodes too: a survivor's
 * reaped `connection.closed` follows the dead node's queued `opened`); a worker that takes a job
 * whose predecessor is still queued puts it back, delayed, untried. A predecessor given up (a dead
 * letter) no longer holds the session's later events.
 */
export class BullMqWebhookQueue implements WebhookQueue {
  private readonly connection: Redis | Cluster;
  private readonly workerConnection: Redis | Cluster;
  private readonly queue: Queue<JobData>;
  private readonly worker: Worker<JobData>;
  private readonly stop = new AbortController();
  private readonly counter: NodeJS.Timeout;
  /** Events handed to Redis and not yet acknowledged (they wait in ioredis while Redis is unreachable). */
  private pending = 0;
  private queued = 0;

  constructor(
    target: RedisConnection,
    private readonly webhook: WebhookConfig,
    private readonly metrics: WebhookMetrics,
    private readonly warn: WebhookWarn,
    options: BullMqQueueOptions = {},
  ) {
    const lockMs = options.lockMs ?? Math.max(10_000, 2 * webhook.timeoutMs);
    this.connection = queueConnection(target);
    this.workerConnection = queueConnection(target);
    this.queue = new Queue<JobData>(options.name ?? WEBHOOK_QUEUE_NAME, {
      connection: this.connection,
      prefix: WEBHOOK_QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: webhook.maxAttempts,
        backoff: { type: BACKOFF },
        removeOnComplete: true,
        removeOnFail: { count: webhook.failedMax },
      },
    });
    this.worker = new Worker<JobData>(options.name ?? WEBHOOK_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: this.workerConnection,
      prefix: WEBHOOK_QUEUE_PREFIX,
      concurrency: webhook.concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A job whose node died is sent again, however often that happens (at least once).
      maxStalledCount: 1000,
      settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(attemptsMade, webhook.retryBaseMs, webhook.retryMaxMs) },
    });
    this.queue.on('error', (err) => this.warn({ err }, 'webhook queue: Redis error'));
    this.worker.on('error', (err) => this.warn({ err }, 'webhook worker: Redis error'));
    this.counter = setInterval(() => void this.count(), options.countEveryMs ?? 1000).unref();
  }

  get backlog(): number {
    return this.queued + this.pending;
  }

  enqueue(event: WebhookEvent): void {
    if (this.backlog >= this.webhook.queueMaxEvents) {
      this.metrics.overflow.value++;
      this.warn({ queued: this.backlog }, 'webhook queue full: event dropped');
      return;
    }
    this.pending++;
    void this.add(event).finally(() => this.pending--);
  }

  async failed(offset: number, limit: number): Promise<FailedPage> {
    const [jobs, total] = await Promise.all([this.queue.getFailed(offset, offset + limit - 1), this.queue.getFailedCount()]);
    return {
      items: jobs
        .filter((job): job is typeof job & { data: JobData } => Boolean(job?.data?.event))
        .map((job) => ({ event: job.data.event, attempts: job.attemptsMade, reason: job.failedReason, failedAt: job.finishedOn ?? job.timestamp })),
      total,
    };
  }

  async retry(eventId: string): Promise<boolean> {
    const job = await Job.fromId<JobData>(this.queue, eventId);
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  /**
   * One job at a time, so that each gets fresh attempts (retryJobs keeps attemptsMade). The list is
   * read once: a retried event that fails again at once is not picked up again by this call.
   */
  async retryAll(): Promise<number> {
    let retried = 0;
    for (const job of await this.queue.getFailed(0, this.webhook.failedMax - 1)) {
      if (!job) continue;
      await (job as Job<JobData>).retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }).then(
        () => retried++,
        () => undefined, // retried by someone else meanwhile
      );
    }
    return retried;
  }

  /**
   * Waits up to `budgetMs` for the events not yet in Redis and the POSTs in flight; what is still
   * in flight then goes back to the queue when its lock expires (another node, or the next start,
   * sends it). Everything queued stays in Redis.
   */
  async close(budgetMs: number): Promise<void> {
    clearInterval(this.counter);
    const deadline = Date.now() + budgetMs;
    while (this.pending > 0 && Date.now() < deadline) await delay(20);
    await Promise.race([this.worker.close(), delay(Math.max(0, deadline - Date.now()))]);
    this.stop.abort();
    await this.worker.close(true).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    // BullMQ does not close connections it was given.
    for (const connection of [this.connection, this.workerConnection]) connection.disconnect();
    if (this.pending > 0) this.warn({ events: this.pending }, 'webhook events not queued in Redis before shutdown');
  }

  private async add(event: WebhookEvent): Promise<void> {
    try {
      const sessionId = typeof event.data.sessionId === 'string' ? event.data.sessionId : undefined;
      const after = sessionId ? ((await this.connection.set(lastEventKey(sessionId), event.id, 'EX', CHAIN_TTL_S, 'GET')) ?? undefined) : undefined;
      await this.queue.add(event.type, after ? { event, after } : { event }, { jobId: event.id });
    } catch (err) {
      this.metrics.overflow.value++;
      this.warn({ err, eventId: event.id, type: event.type }, 'webhook event not queued: Redis refused it');
    }
  }

  private async process(job: Job<JobData>, token?: string): Promise<void> {
    const { event, after } = job.data;
    if (after && PENDING_STATES.has(await this.queue.getJobState(after))) {
      await job.moveToDelayed(Date.now() + Math.min(5000, Math.max(100, this.webhook.retryBaseMs)), token);
      throw new DelayedError();
    }
    const attempt = job.attemptsMade + 1;
    const outcome = await postWebhook(this.webhook, JSON.stringify(event), event.id, attempt, this.stop.signal);
    if (outcome.result === 'delivered') {
      this.metrics.delivered.value++;
      return;
    }
    if (outcome.result === 'rejected' || attempt >= this.webhook.maxAttempts) {
      this.metrics.failed.value++;
      this.warn({ eventId: event.id, type: event.type, attempts: attempt, outcome: outcome.detail }, 'webhook event given up');
      throw outcome.result === 'rejected' ? new UnrecoverableError(outcome.detail) : new Error(outcome.detail);
    }
    this.metrics.retries.value++;
    throw new Error(outcome.detail);
  }

  private async count(): Promise<void> {
    try {
      const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      this.queued = Object.values(counts).reduce((sum, n) => sum + n, 0);
    } catch {
      // Redis unreachable: keep the last count.
    }
  }
}
