import { WebSocket } from 'ws';
import { TestClient } from '../../support/ws-client';
import { CHILD_ADMIN_TOKEN } from './child-tokens';

export type CycleKind = 'clean' | 'ticket' | 'terminate' | 'kick' | 'blackhole';

/** The mix of every block of 10 cycles: 3 clean, 1 ticket, 3 terminate, 2 kick, 1 blackhole. */
const KINDS: CycleKind[] = ['clean', 'terminate', 'clean', 'kick', 'ticket', 'terminate', 'blackhole', 'clean', 'terminate', 'kick'];
export const kindOf = (i: number): CycleKind => KINDS[i % KINDS.length];

export interface CycleTarget {
  wsUrl: string;
  httpUrl: string;
  token: string;
  heartbeatTimeoutMs: number;
}

export interface CycleTally {
  done: Record<CycleKind, number>;
  /** Cycles whose close was not the one their kind implies (a live client closed by the server). */
  wrongCloses: string[];
  /**
   * Cycles terminated (1006) by the heartbeat because their pong was late by this process's fault:
   * the last ping they read reached them more than the timeout after the server sent it.
   */
  lateCloses: string[];
  /** Cycles whose own publish did not come back to them. */
  undelivered: number;
  /** Blackholed clients, paused and never answering: the server must terminate each on its own. */
  blackholed: TestClient[];
}

async function open(url: string, token: string | undefined, autoPong = true): Promise<TestClient> {
  const socket = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, autoPong });
  const client = new TestClient(socket);
  await new Promise<void>((resolve, reject) => (socket.once('open', () => resolve()), socket.once('error', reject)));
  await client.nextOfType('welcome', 10000);
  return client;
}

/** One connect / join / send / leave cycle, ended the way its kind says; the outcome goes to `tally`. */
export async function runCycle(i: number, target: CycleTarget, tally: CycleTally): Promise<void> {
  const kind = kindOf(i);
  let url = target.wsUrl;
  let token: string | undefined = target.token;
  if (kind === 'ticket') {
    const response = await fetch(`${target.httpUrl}/auth/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    url = `${url}?ticket=${(await response.json()).ticket}`;
    token = undefined;
  }
  const client = await open(url, token, kind !== 'blackhole');
  // The server's ping carries its send time: how late this process read (and so answered) it.
  let lastPingDelay = 0;
  client.socket.on('ping', (data: Buffer) => (lastPingDelay = Date.now() - Number(data.toString())));
  const room = `public:cycle-${i % 50}`;
  await client.request('room.join', { room }, `j${i}`);
  const sent = `c${i}`;
  const ack = await client.request('room.publish', { room, body: sent }, `p${i}`);
  const own = await client.next((f) => f.type === 'message' && f.data.body === sent, 10000).catch(() => undefined);
  if (ack.type !== 'ack' || !own) tally.undelivered++;
  let expected: number[];
  if (kind === 'clean' || kind === 'ticket') {
    await client.request('room.leave', { room }, `l${i}`);
    client.socket.close(1000);
    expected = [1000];
  } else if (kind === 'terminate') {
    client.socket.terminate();
    expected = [1006];
  } else if (kind === 'kick') {
    const id = client.frames[0].data.sessionId;
    await fetch(`${target.httpUrl}/admin/connections/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${CHILD_ADMIN_TOKEN}` } });
    expected = [4503];
  } else {
    // Blackhole: stop reading and answering pings. The socket is left as it is (no FIN, no close):
    // the test destroys it only after the round has settled, by when the server must have
    // terminated it on its own (counted in heartbeatTerminations).
    client.socket.pause();
    tally.blackholed.push(client);
    tally.done[kind]++;
    return;
  }
  const { code } = await client.closed;
  if (code === 1006 && !expected.includes(code) && lastPingDelay > target.heartbeatTimeoutMs) tally.lateCloses.push(`${kind} #${i}: ping read ${lastPingDelay} ms late`);
  else if (!expected.includes(code)) tally.wrongCloses.push(`${kind} #${i}: ${code}`);
  tally.done[kind]++;
}
