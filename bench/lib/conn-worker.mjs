// A child process of the generator for the conn100k scenario: it holds one slice of the clients,
// so no process needs more descriptors than its own file limit allows (one per client). Started
// with child_process.fork by bench/scenarios/conn100k.mjs; it inherits the generator's core
// (taskset) and file limit (Node raises its soft limit to the hard one at start). IPC messages:
//   -> { cmd: 'connect', port, first, count, concurrency, addresses, secret }
//        mints the tokens of users c<first>..c<first+count-1> (outside the timed part), then opens
//        `count` lean clients, client i from 127.0.0.<addresses[i % addresses.length]>
//   <- { type: 'connected', seconds, failures, firstError, latencyMs }
//   -> { cmd: 'stats' }   <- { type: 'stats', open, minPings, pings, unexpectedCloses, closeCodes }
//   -> { cmd: 'close' }   closes every client with a reset, answers { type: 'closed' }, exits
// The lean client answers every ping with a pong (bench/lib/lean-ws.mjs), which is what the
// heartbeat check of the scenario relies on.
import { performance } from 'node:perf_hooks';
import { clientStats, closeAll, connectMany, stopBatching } from './lean-ws.mjs';
import { summarize } from './stats.mjs';
import { mintMany } from './tokens.mjs';

let clients = [];

async function connect({ port, first, count, concurrency, addresses, secret }) {
  const tokens = await mintMany(`c${first}-`, count, secret);
  const t0 = performance.now();
  const r = await connectMany(
    count,
    (i) => ({ host: '127.0.0.1', port, token: tokens[i], localAddress: addresses[(first + i) % addresses.length], timeoutMs: 60_000 }),
    { concurrency },
  );
  clients = r.clients;
  return { type: 'connected', seconds: (performance.now() - t0) / 1000, failures: r.failures, firstError: r.firstError ? String(r.firstError.message) : null, latencyMs: summarize(r.latencies) };
}

function stats() {
  let open = 0;
  let minPings = Infinity;
  let pings = 0;
  for (const c of clients) {
    if (c.open && !c.closed) open++;
    minPings = Math.min(minPings, c.pings);
    pings += c.pings;
  }
  return { type: 'stats', open, minPings: clients.length ? minPings : 0, pings, unexpectedCloses: clientStats.unexpectedCloses, closeCodes: clientStats.closeCodes };
}

process.on('message', (msg) => {
  if (msg.cmd === 'connect') {
    connect(msg).then(
      (r) => process.send(r),
      (err) => process.send({ type: 'connected', failures: msg.count, firstError: String(err?.stack ?? err) }),
    );
  } else if (msg.cmd === 'stats') {
    process.send(stats());
  } else if (msg.cmd === 'close') {
    closeAll(clients);
    stopBatching();
    process.send({ type: 'closed' }, () => process.exit(0));
  }
});
// The parent gone (a failed run): do not linger holding sockets.
process.on('disconnect', () => process.exit(0));
