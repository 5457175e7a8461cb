// A child process of the reconnect storm (bench/scenarios/storm.mjs): one share of the clients.
// The hard file limit (20,000 per process on the bench machine, not raisable) keeps one process
// far under the 19,000 sockets of a full storm, so the storm is spread over several of these.
//
// Messages from the parent (IPC):
//   {op:'go', port, tokens, localAddresses, timeoutMs}  connect all clients in this turn, reply
//        {op:'done', count, welcomed, latenciesMs, firstStartAbs, lastWelcomeAbs, failures, firstErrors}
//   {op:'close'}  reset every socket, reply {op:'closed'}, then exit
// Times ending in Abs are performance.timeOrigin + performance.now(): comparable across processes.
import { performance } from 'node:perf_hooks';
import { closeAll, LeanClient } from './lean-ws.mjs';

let clients = [];

/** A failure's cause for the table: the HTTP status of a refusal, else the error code or message. */
function causeOf(err) {
  const m = /upgrade refused: HTTP\/1\.1 (\d{3})/.exec(err.message);
  if (m) return `HTTP ${m[1]}`;
  if (err.code) return err.code;
  return err.message.replace(/\s*\(.*\)$/, '');
}

async function go({ port, tokens, localAddresses, timeoutMs }) {
  const latencies = new Float64Array(tokens.length).fill(NaN);
  const failures = {};
  const firstErrors = {};
  const firstStartAbs = performance.timeOrigin + performance.now();
  let lastWelcome = 0;
  let welcomed = 0;
  // Every connect is started before any completes: the storm arrives at once.
  const pending = tokens.map((token, i) => {
    const client = new LeanClient(i);
    client.batched = true; // welcomed clients are read in batches, as in the other scenarios
    clients.push(client);
    return client.connect({ host: '127.0.0.1', port, token, localAddress: localAddresses[i % localAddresses.length], timeoutMs }).then(
      () => {
        welcomed++;
        latencies[i] = client.welcomeAt - client.connectStartedAt;
        if (client.welcomeAt > lastWelcome) lastWelcome = client.welcomeAt;
      },
      (err) => {
        const cause = causeOf(err);
        failures[cause] = (failures[cause] ?? 0) + 1;
        firstErrors[cause] ??= err.message;
      },
    );
  });
  await Promise.all(pending);
  process.send({
    op: 'done',
    count: tokens.length,
    welcomed,
    latenciesMs: Array.from(latencies),
    firstStartAbs,
    lastWelcomeAbs: lastWelcome ? performance.timeOrigin + lastWelcome : null,
    failures,
    firstErrors,
  });
}

process.on('message', (msg) => {
  if (msg.op === 'go') {
    go(msg).catch((err) => process.send({ op: 'error', message: String(err?.stack ?? err) }));
  } else if (msg.op === 'close') {
    closeAll(clients);
    clients = [];
    process.send({ op: 'closed' }, () => process.exit(0));
  }
});
process.send({ op: 'ready' });
