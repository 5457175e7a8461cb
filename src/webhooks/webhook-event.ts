import { randomUUID } from 'node:crypto';

export type WebhookEventType = 'connection.opened' | 'connection.closed' | 'room.joined' | 'room.left';

/** The JSON body of one webhook POST. */
export interface WebhookEvent {
  /** UUID, the same on every retry of this event: receivers de-duplicate on it. */
  id: string;
  type: WebhookEventType;
  /** When it happened, milliseconds since the epoch. */
  ts: number;
  /** NODE_ID of the node it happened on. */
  node: string;
  data: Record<string, unknown>;
}

export function webhookEvent(type: WebhookEventType, node: string, data: Record<string, unknown>): WebhookEvent {
  return { id: randomUUID(), type, ts: Date.now(), node, data };
}
