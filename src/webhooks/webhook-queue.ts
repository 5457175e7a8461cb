import type { WebhookEvent } from './webhook-event';

/** The token of the node's WebhookQueue (null without WEBHOOK_URL). */
export const WEBHOOK_QUEUE = Symbol('WEBHOOK_QUEUE');

/** An event given up: the dead-letter list of GET /admin/webhooks/failed. */
export interface FailedWebhook {
  event: WebhookEvent;
  /** POSTs made. */
  attempts: number;
  /** The last attempt's outcome: `rejected: 4xx`, `retry: 5xx`, no answer... */
  reason: string;
  /** When it was given up, milliseconds since the epoch. */
  failedAt: number;
}

export interface FailedPage {
  items: FailedWebhook[];
  /** Dead letters kept in all (at most WEBHOOK_FAILED_MAX, the oldest are dropped). */
  total: number;
}

/**
 * Where lifecycle events wait for delivery (store-provider.ts chooses):
 * - memory (MemoryWebhookQueue): one node, no Redis; lost with the process;
 * - bullmq (BullMqWebhookQueue): a BullMQ queue on the deployment's Redis, shared by the nodes,
 *   survives a node killed with -9.
 * Both deliver at least once, retry with backoff, keep a bounded dead-letter list, and keep the
 * events of one session in order (docs/webhooks.md).
 */
export interface WebhookQueue {
  /** Never throws, never waits: an event that cannot be queued is counted (overflow) and dropped. */
  enqueue(event: WebhookEvent): void;
  /** Newest first; `offset` skips that many. */
  failed(offset: number, limit: number): Promise<FailedPage>;
  /** Queues a dead letter again with fresh attempts; false if there is none with that id. */
  retry(eventId: string): Promise<boolean>;
  /** Queues every dead letter again; how many. */
  retryAll(): Promise<number>;
  /** Events waiting or being retried, for the gauge (last known on BullMQ). */
  readonly backlog: number;
  /** Gives what is in flight up to `budgetMs`, then stops delivering. */
  close(budgetMs: number): Promise<void>;
}
