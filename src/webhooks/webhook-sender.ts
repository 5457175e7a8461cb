import type { WebhookConfig } from '../config';
import { webhookSignature } from './webhook-signature';

/** delivered: 2xx. retry: no answer, a timeout, 408, 429 or 5xx. rejected: any other answer. `detail` says which, for logs and dead letters. */
export interface AttemptOutcome {
  result: 'delivered' | 'retry' | 'rejected';
  detail: string;
}

const RETRYABLE_STATUSES = new Set([408, 429]);

/** One POST of one event, signed afresh (the signature's time is the attempt's). */
export async function postWebhook(config: WebhookConfig, body: string, eventId: string, attempt: number, stop: AbortSignal): Promise<AttemptOutcome> {
  let response: Response;
  try {
    response = await fetch(config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'realtime-gateway-webhooks',
        'x-webhook-id': eventId,
        'x-webhook-attempt': String(attempt),
        'x-webhook-signature': webhookSignature(config.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      // A redirect would turn the POST into a GET somewhere else: it is an answer, not a delivery.
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(config.timeoutMs), stop]),
    });
  } catch (err) {
    return { result: 'retry', detail: `retry: no answer (${err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : err instanceof Error ? err.message : String(err)})` };
  }
  // The body is not needed; cancelling it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { result: 'delivered', detail: `delivered: ${response.status}` };
  const result = response.status >= 500 || RETRYABLE_STATUSES.has(response.status) ? 'retry' : 'rejected';
  return { result, detail: `${result}: ${response.status}` };
}

/** Exponential backoff with equal jitter: half the step is fixed, so retries never bunch at zero. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return step / 2 + random() * (step / 2);
}
