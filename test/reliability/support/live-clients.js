// The soak's long-lived clients, in their own small process so that the load the test process
// generates (the connect cycles) cannot delay their pongs: a client killed for a late pong must be
// the server's fault. usage: node live-clients.js <url> <token> <count> <rooms> <heartbeat timeout ms>
// stdin commands, one per line: `traffic on|off` (a publish every 20 ms from a random client),
// `report` (prints `REPORT {json}` once nothing is in flight), `closes` (prints `CLOSES {total, late}`
// at once), `close` (closes all; prints `CLOSED`).
// A client the server closes is `late` when the last ping it read had reached it more than the
// heartbeat timeout after the server sent it: its pong left after the deadline, because this
// process (or its vCPU, stolen by the host) was not running. Anything else is the server's fault.
const { WebSocket } = require('ws');
const readline = require('node:readline');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const [url, token, count, roomCount, timeoutMs] = process.argv.slice(2);
let lateCloses = 0;
const onTimeCloses = []; // the closes that fail the run, with what their client last saw
const roomOf = (i) => `public:live-${i % Number(roomCount)}`;
const acked = new Map(); // room -> offsets acked to publishers
// What a client received of its room, in O(1) memory however long the soak (a Set of every offset
// grew to millions of entries in 30 minutes, and this process's GC pauses then delayed its pongs):
// the first and last offset, and the offsets skipped in between (a room is delivered in order).
const received = () => ({ first: 0, last: 0, skipped: new Set(), duplicates: 0 });
const receive = (r, offset) => {
  if (r.first === 0) r.first = r.last = offset;
  else if (offset <= r.last) r.duplicates++;
  else {
    for (let o = r.last + 1; o < offset; o++) r.skipped.add(o);
    r.last = offset;
  }
};
const hasReceived = (r, offset) => r.first !== 0 && offset >= r.first && offset <= r.last && !r.skipped.has(offset);
const closes = []; // close codes seen before `close`
let closing = false;
let inFlight = 0;
let nextId = 0;
const clients = Array.from({ length: Number(count) }, (_, i) => {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  const client = { socket, seen: received(), pending: new Map(), joined: false, lastPingAt: 0, lastPingDelay: 0, lastFrameAt: 0 };
  socket.on('open', () => socket.send(JSON.stringify({ type: 'room.join', id: 'join', data: { room: roomOf(i) } })));
  // The server's ping carries its send time (ms): the delay tells a late delivery or a starved
  // process here from a server that did not read the pong (ws has already answered it by now).
  socket.on('ping', (data) => {
    const now = Date.now();
    client.lastPingAt = now;
    client.lastPingDelay = now - Number(data.toString());
    recordPingDelay(client.lastPingDelay);
  });
  socket.on('message', (data) => {
    client.lastFrameAt = Date.now();
    const frame = JSON.parse(data.toString());
    if (frame.type === 'message') receive(client.seen, frame.data.offset);
    else if (frame.id === 'join') client.joined = true, clients.every((c) => c.joined) && console.log('READY');
    else if (frame.id && client.pending.has(frame.id)) {
      client.pending.delete(frame.id);
      inFlight--;
      if (frame.type === 'ack') {
        if (!acked.has(roomOf(i))) acked.set(roomOf(i), []);
        acked.get(roomOf(i)).push(frame.data.offset);
      }
    }
  });
  socket.on('close', (code) => {
    inFlight -= client.pending.size; // their replies will never come
    client.pending.clear();
    if (!closing) {
      const now = Date.now();
      closes.push(code), closedAt.push(now);
      if (code === 1006 && client.lastPingDelay > Number(timeoutMs)) lateCloses++;
      else if (onTimeCloses.length < 50) onTimeCloses.push({ code, lastPingDelayMs: client.lastPingDelay, sinceLastPingMs: now - client.lastPingAt, error: client.error });
      closeDetails.push({ code, at: now, sinceLastPingMs: now - client.lastPingAt, lastPingDelayMs: client.lastPingDelay, sinceLastFrameMs: now - client.lastFrameAt, error: client.error });
    }
  });
  // ECONNRESET before a server-side termination's 1006: the server destroyed a socket with unread
  // data in its receive buffer (Linux then sends RST, not FIN), e.g. a pong it never read.
  socket.on('error', (err) => (client.error = err.code ?? err.message));
  return client;
});

// This process's own event-loop delay: a late pong from here is the harness's fault, not the server's.
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
// Close times, to tell a burst (one bad sweep) from a trickle; what each closed client last saw.
const closedAt = [];
const closeDetails = [];
// Ping delivery delays (receive time - the server's send time in the payload), in ms.
const pingDelays = new Uint32Array(1001); // 5 ms buckets, the last one for 5 s and more
let maxPingDelay = 0;
const recordPingDelay = (ms) => (pingDelays[Math.min(1000, Math.max(0, Math.floor(ms / 5)))]++, (maxPingDelay = Math.max(maxPingDelay, ms)));
const pingDelayStats = () => {
  const pings = pingDelays.reduce((a, b) => a + b, 0);
  const at = (q) => {
    for (let i = 0, seen = 0; i < pingDelays.length; i++) if ((seen += pingDelays[i]) > q * pings) return i * 5;
    return 0;
  };
  return { pings, p50: at(0.5), p99: at(0.99), max: maxPingDelay, over300: pingDelays.slice(60).reduce((a, b) => a + b, 0) };
};
let traffic;
const publish = () => {
  const i = Math.floor(Math.random() * clients.length);
  const client = clients[i];
  if (client.socket.readyState !== WebSocket.OPEN) return;
  const id = `p${++nextId}`;
  client.pending.set(id, true);
  inFlight++;
  client.socket.send(JSON.stringify({ type: 'room.publish', id, data: { room: roomOf(i), body: id } }));
};

const commands = readline.createInterface({ input: process.stdin });
// The test process is gone (killed, crashed): so are we.
commands.on('close', () => process.exit(0));
commands.on('line', (line) => {
  if (line === 'traffic on') traffic ??= setInterval(publish, 20);
  if (line === 'traffic off') clearInterval(traffic), (traffic = undefined);
  if (line === 'report') {
    const waitIdle = () => {
      if (inFlight > 0) return setTimeout(waitIdle, 20);
      let missing = 0;
      let duplicates = 0;
      // Clients the server closed miss what came after (at most once): their closes are reported apart.
      clients.forEach((c, i) => {
        duplicates += c.seen.duplicates;
        if (c.socket.readyState === WebSocket.OPEN) missing += (acked.get(roomOf(i)) ?? []).filter((o) => !hasReceived(c.seen, o)).length;
      });
      const published = [...acked.values()].reduce((n, a) => n + a.length, 0);
      const lagMs = { p99: Math.round(lag.percentile(99) / 1e6), max: Math.round(lag.max / 1e6) };
      const closeSpanMs = closedAt.length ? Math.max(...closedAt) - Math.min(...closedAt) : 0;
      const firstCloses = closeDetails.slice(0, 5);
      const closeErrors = {};
      for (const d of closeDetails) closeErrors[d.error ?? 'none'] = (closeErrors[d.error ?? 'none'] ?? 0) + 1;
      console.log(`REPORT ${JSON.stringify({ open: clients.filter((c) => c.socket.readyState === WebSocket.OPEN).length, closes, lateCloses, onTimeCloses, closeSpanMs, published, missing, duplicates, lagMs, pingDelayMs: pingDelayStats(), closeErrors, firstCloses })}`);
    };
    waitIdle();
  }
  if (line === 'closes') console.log(`CLOSES ${JSON.stringify({ total: closes.length, late: lateCloses, onTime: onTimeCloses.slice(0, 5) })}`);
  if (line === 'close') {
    closing = true;
    const open = clients.filter((c) => c.socket.readyState !== WebSocket.CLOSED);
    let left = open.length;
    const done = () => (console.log('CLOSED'), process.exit(0));
    if (left === 0) done();
    for (const c of open) c.socket.once('close', () => --left === 0 && done()), c.socket.close(1000);
  }
});
