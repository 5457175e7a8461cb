import { connect, TestClient } from '../support/ws-client';
import { childToken } from './support/child-tokens';
import { killChildServersAfterEach, startChildServer } from './support/child-server';

/**
 * SIGTERM with 1,000 clients and publishes in flight: every client gets 1001, and every publish
 * that was acked reached every member of its room before that member's close frame (the drain
 * closes all sessions in one pass after their queued frames; nothing is written after a close).
 */
killChildServersAfterEach();
const CLIENTS = 1000;
const ROOMS = 10;
const PUBLISHERS = 50;

it('SIGTERM: 1,000 clients all see 1001, no acked message is lost', async () => {
  const server = await startChildServer({ SHUTDOWN_TIMEOUT_MS: '10000', MAX_CONNECTIONS_PER_USER: '2000', RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000' });
  const token = await childToken('member');
  const clients: TestClient[] = [];
  for (let batch = 0; batch < CLIENTS / 100; batch++) {
    clients.push(...(await Promise.all(Array.from({ length: 100 }, () => connect(server.wsUrl, { token })))));
  }
  const room = (i: number) => `public:drain-${i % ROOMS}`;
  // Each join tells the room's earlier members (50,000 presence frames in all): allow for it.
  for (const [i, c] of clients.entries()) c.sendRaw(JSON.stringify({ type: 'room.join', id: `join-${i}`, data: { room: room(i) } }));
  await Promise.all(clients.map((c, i) => c.next((f) => f.id === `join-${i}`, 30000)));
  const closes = clients.map((c) => c.closed);
  const acked: { room: string; offset: number }[] = [];
  let stopped = false;
  const publishers = clients.slice(0, PUBLISHERS).map(async (c, p) => {
    for (let n = 0; !stopped; n++) {
      const id = `pub-${p}-${n}`;
      c.sendRaw(JSON.stringify({ type: 'room.publish', id, data: { room: room(p), body: { p, n } } }));
      const reply = await Promise.race([c.next((f) => f.id === id, 15000), c.closed.then(() => undefined)]);
      if (!reply) return;
      if (reply.type === 'ack') acked.push({ room: room(p), offset: reply.data.offset });
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const beforeSignal = acked.length;
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  const codes = (await Promise.all(closes)).map((c) => c.code);
  stopped = true;
  await Promise.all(publishers);
  const exit = await server.exited;
  const drainMs = Date.now() - signalled;
  const byCode = codes.reduce<Record<number, number>>((m, c) => ((m[c] = (m[c] ?? 0) + 1), m), {});
  let missing = 0;
  clients.forEach((c, i) => {
    const seen = new Set(c.frames.filter((f) => f.type === 'message' && f.data.room === room(i)).map((f) => f.data.offset));
    missing += acked.filter((a) => a.room === room(i) && !seen.has(a.offset)).length;
  });
  process.stdout.write(
    `shutdown: ${CLIENTS} clients, close codes ${JSON.stringify(byCode)}, ${acked.length} acked publishes (${acked.length - beforeSignal} after SIGTERM was sent), ` +
      `${missing} acked deliveries missing, exit ${exit.code} after ${drainMs} ms\n`,
  );
  expect(byCode).toEqual({ 1001: CLIENTS });
  expect(acked.length).toBeGreaterThan(100);
  expect(missing).toBe(0);
  expect(drainMs).toBeLessThan(10000);
}, 60000);

it('SIGHUP and SIGUSR2 do not stop the server (finding F4): only SIGTERM and SIGINT drain it', async () => {
  const server = await startChildServer();
  const token = await childToken('stays');
  const client = await connect(server.wsUrl, { token });
  let exited = false;
  void server.exited.then(() => (exited = true));
  for (const signal of ['SIGHUP', 'SIGUSR2'] as const) {
    server.child.kill(signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(exited).toBe(false);
  // The open connection still works, and new ones are still accepted (a draining node refuses them).
  expect((await client.request('ping')).type).toBe('pong');
  const late = await connect(server.wsUrl, { token });
  expect((await late.request('ping')).type).toBe('pong');
  expect(server.output()).toContain('SIGHUP ignored');
  expect(server.output()).toContain('SIGUSR2 ignored');
  await Promise.all([client.close(), late.close()]);
  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: null, signal: 'SIGTERM' });
});
