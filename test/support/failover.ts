import { RealtimeClient } from '../../sdk/src';
import type { ServerProcess } from './server-process';
import { mintToken } from './tokens';
import { waitFor } from './wait-for';
import { HeaderTokenWebSocket, TestClient } from './ws-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SDK clients (reconnecting, recovering with `since`) in one room, and what each received. */
export interface RoomSubscribers {
  clients: RealtimeClient[];
  /** The bodies each client received, in order. */
  received: number[][];
  /** Each client's `recovery` events (recovered or not). */
  recoveries: boolean[][];
}

/** One SDK client per server given (closed by the caller: `clients`), each joined to `room`. */
export async function joinSubscribers(servers: ServerProcess[], room: string, opened: RealtimeClient[]): Promise<RoomSubscribers> {
  const clients = await Promise.all(
    servers.map(async (server, i) => {
      const client = new RealtimeClient({ url: server.wsUrl, token: await mintToken({ sub: `sub${i}` }), WebSocket: HeaderTokenWebSocket as never, backoff: { minMs: 100, maxMs: 1000 } });
      opened.push(client);
      await client.connect();
      return client;
    }),
  );
  const received = clients.map(() => [] as number[]);
  const recoveries = clients.map(() => [] as boolean[]);
  clients.forEach((s, i) => s.on('recovery', (e) => recoveries[i].push(e.recovered)));
  await Promise.all(clients.map((s, i) => s.join(room, (m) => received[i].push(m.body as number))));
  return { clients, received, recoveries };
}

/** A publisher publishing with acks, one request at a time, until stopped; timings relative to `killed()`. */
export interface PublishLoop {
  acked: number[];
  errors: string[];
  /** When the loop was told of the kill, the first error after it, the first ack after that error. */
  killedAt: number;
  firstUnavailableAt: number;
  resumedAt: number;
  /** The slowest reply: nothing may hang. */
  slowestMs: number;
  killed(): void;
  stop(): Promise<void>;
}

export function startPublishLoop(publisher: TestClient, room: string): PublishLoop {
  let stopped = false;
  const loop: PublishLoop = {
    acked: [],
    errors: [],
    killedAt: 0,
    firstUnavailableAt: 0,
    resumedAt: 0,
    slowestMs: 0,
    killed: () => (loop.killedAt = Date.now()),
    stop: async () => {
      stopped = true;
      await running; // a reply that never came (request() gives up after 3 s) fails here
    },
  };
  const running = (async () => {
    for (let body = 0; !stopped && body < 100_000; body++) {
      const sentAt = Date.now();
      const reply = await publisher.request('room.publish', { room, body });
      loop.slowestMs = Math.max(loop.slowestMs, Date.now() - sentAt);
      if (reply.type === 'ack') {
        loop.acked.push(body);
        if (loop.killedAt && loop.firstUnavailableAt && !loop.resumedAt) loop.resumedAt = Date.now();
      } else {
        loop.errors.push(reply.data.code as string);
        if (loop.killedAt && !loop.firstUnavailableAt) loop.firstUnavailableAt = Date.now();
        await sleep(20);
      }
      await sleep(2);
    }
  })();
  running.catch(() => (stopped = true)); // reported by stop()
  return loop;
}

/**
 * After a failover: every client ends up live again (it receives the last acked message, after a
 * reconnect if it was made to), never got a duplicate or a message out of order, and either
 * received every acked message or was told `recovered: false`.
 */
export async function expectNoSilentGap({ received, recoveries }: RoomSubscribers, acked: number[]): Promise<void> {
  const last = acked[acked.length - 1];
  await waitFor(() => received.every((r) => r.includes(last)), 15000, 50).catch((err: Error) => {
    throw new Error(`${err.message}: last acked ${last}; received ${received.map((r) => `${r.length} (last ${r[r.length - 1]})`)}; recoveries ${JSON.stringify(recoveries)}`);
  });
  for (const [i, r] of received.entries()) {
    expect(r.every((body, k) => k === 0 || body > r[k - 1])).toBe(true);
    const missing = acked.filter((body) => !r.includes(body));
    if (missing.length > 0) expect({ client: i, missing: missing.length, toldNotRecovered: recoveries[i].includes(false) }).toEqual({ client: i, missing: missing.length, toldNotRecovered: true });
  }
}
