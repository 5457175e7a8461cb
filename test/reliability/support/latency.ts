import type { TestClient } from '../../support/ws-client';

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1], n: sorted.length };
}

/** Every client sends app-level pings back to back for `ms`; returns each round trip in ms. */
export async function pingLatencies(clients: TestClient[], ms: number): Promise<number[]> {
  const samples: number[] = [];
  const end = Date.now() + ms;
  await Promise.all(
    clients.map(async (client) => {
      while (Date.now() < end) {
        const started = performance.now();
        await client.request('ping', undefined, undefined).catch(() => undefined);
        samples.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
  return samples;
}
