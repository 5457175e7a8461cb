import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  event: any;
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every POST received, retries included, in arrival order. */
  deliveries: Delivery[];
  /** The first delivery of each event id, in arrival order: what a de-duplicating receiver keeps. */
  events(): Delivery['event'][];
  close(): Promise<void>;
}

/** Answers with `respond(delivery)`'s status (a promise of one to hold the answer back). */
export type Responder = (delivery: Delivery) => number | Promise<number>;

/** A webhook endpoint on 127.0.0.1 (on `port`, else an ephemeral one), recording what it receives. */
export async function startWebhookReceiver(respond: Responder = () => 200, port = 0): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const delivery = { headers: req.headers, body, event: JSON.parse(body), receivedAt: Date.now() };
      deliveries.push(delivery);
      res.writeHead(await respond(delivery)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    deliveries,
    events: () => {
      const seen = new Set<string>();
      return deliveries.filter((d) => !seen.has(d.event.id) && seen.add(d.event.id)).map((d) => d.event);
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a receiver does (docs/webhooks.md): recompute the HMAC and compare in constant time. */
export function signatureIsValid(secret: string, delivery: Delivery, toleranceSeconds = 300): boolean {
  const header = String(delivery.headers['x-webhook-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${delivery.body}`).digest();
  const fresh = Math.abs(Date.now() / 1000 - Number(match[1])) <= toleranceSeconds;
  return fresh && timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}
