// The raw `ws` baseline: the gateway's protocol (the subset the benchmark drives) written by hand
// on `ws` and `jose`, with no framework. It is what the product is compared with, so it keeps the
// same per-message obligations where they cost something:
//   - upgrade decided before the 101 (verifyClient): JWT HS256 verified with jose exactly like the
//     product (same key type, same options), rooms claim, per-user and per-node limits;
//   - one shared listener per socket, a session hanging off the socket, one shared heartbeat timer
//     (ping every HEARTBEAT_INTERVAL_MS, terminate after HEARTBEAT_TIMEOUT_MS, with the product's
//     tolerance of event-loop stalls);
//   - every text frame: JSON.parse, envelope checks (keys, id, type, data, depth, __proto__),
//     token-bucket rate limit, hand-written validation (room name, unknown keys, body present),
//     permission check, error frames;
//   - room.join / room.leave with presence.join / presence.leave to the other members, while the
//     room has at most PRESENCE_EVENTS_MAX_MEMBERS members (the subject included);
//   - room.publish: appended to a per-room history (offset, epoch, last HISTORY_SIZE frames),
//     serialized ONCE, written to every member, slow-consumer bound checked after each write, ack;
//   - ping -> pong.
// Not implemented (the benchmark does not drive them): recovery with `since` replays (answered
// recovered:false), room.history, presence.get, direct.send, typing, admin API, logging, history
// TTL and byte cap, graceful drain.
// Env: PORT, WS_PATH, JWT_SECRET, RATE_LIMIT_PER_SEC, RATE_LIMIT_BURST, MAX_CONNECTIONS,
// MAX_CONNECTIONS_PER_USER, HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, HISTORY_SIZE,
// SEND_BUFFER_MAX_BYTES, MAX_PAYLOAD_BYTES, PRESENCE_EVENTS_MAX_MEMBERS. Prints one JSON line with "port" when listening.
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import { WebSocket, WebSocketServer } from 'ws';

const env = process.env;
const num = (name, def) => (env[name] ? Number(env[name]) : def);
const PORT = num('PORT', 0);
const WS_PATH = env.WS_PATH || '/ws';
if (!env.JWT_SECRET || env.JWT_SECRET.length < 32) throw new Error('JWT_SECRET (32+ characters) is required');
const SECRET = new TextEncoder().encode(env.JWT_SECRET);
const RATE = num('RATE_LIMIT_PER_SEC', 50);
const BURST = num('RATE_LIMIT_BURST', 100);
const MAX_CONNECTIONS = num('MAX_CONNECTIONS', 100_000);
const MAX_PER_USER = num('MAX_CONNECTIONS_PER_USER', 100);
const HB_INTERVAL = num('HEARTBEAT_INTERVAL_MS', 25_000);
const HB_TIMEOUT = num('HEARTBEAT_TIMEOUT_MS', 10_000);
const HISTORY_SIZE = num('HISTORY_SIZE', 100);
const MAX_BUFFERED = num('SEND_BUFFER_MAX_BYTES', 1 << 20);
const PRESENCE_MAX = num('PRESENCE_EVENTS_MAX_MEMBERS', 1000);
const MAX_PAYLOAD = num('MAX_PAYLOAD_BYTES', 65_536);
// Node's default accept queue unless set (the product's LISTEN_BACKLOG; the storm compares both).
const LISTEN_BACKLOG = num('LISTEN_BACKLOG', 511);
const MAX_DEPTH = 32;
const DEFAULT_ROOMS = ['public:*'];
const ROOM_NAME = /^[A-Za-z0-9:_.-]{1,128}$/;
const TEXT = { binary: false };

const sessions = new Set();
const byUser = new Map();
const byRoom = new Map();
const streams = new Map();
let heartbeatTerminations = 0;

const SESSION = Symbol('session');

function patternOf(patterns) {
  if (patterns.length === 0) return null;
  const src = patterns.map((p) => p.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  return new RegExp(`^(?:${src.join('|')})$`);
}

function addTo(index, key, session) {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(session);
}

function removeFrom(index, key, session) {
  const set = index.get(key);
  if (!set) return;
  set.delete(session);
  if (set.size === 0) index.delete(key);
}

// ---- outbound -----------------------------------------------------------------------------------

function write(session, buf) {
  const socket = session.socket;
  if (session.closing || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(buf, TEXT);
  if (socket.bufferedAmount > MAX_BUFFERED) {
    close(session, 4008, 'slow consumer');
    return false;
  }
  return true;
}

const send = (session, frame) => write(session, Buffer.from(JSON.stringify(frame)));
const sendError = (session, id, code, message) => send(session, { type: 'error', id, data: { code, message } });

function close(session, code, reason) {
  if (session.closing) return;
  session.closing = true;
  const socket = session.socket;
  socket.close(code, reason);
  setTimeout(() => socket.terminate(), 2000).unref();
}

// BASELINE_FANOUT=preframed (an experiment, not the baseline the targets refer to): a server
// frame is unmasked, so its bytes are the same for every recipient. Frame it once per publish and
// hand the same Buffer to each member's TCP socket, instead of ws.send() framing it again per
// member (a header Buffer, cork, two writes, uncork, a writev each).
const PREFRAMED = env.BASELINE_FANOUT === 'preframed';

function frameOnce(payload) {
  const len = payload.length;
  const hl = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(hl + len);
  frame[0] = 0x81; // FIN, text
  if (len < 126) frame[1] = len;
  else if (len < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(len, 6);
  }
  payload.copy(frame, hl);
  return frame;
}

function toRoom(room, buf, except) {
  const members = byRoom.get(room);
  if (!members) return 0;
  let delivered = 0;
  if (PREFRAMED) {
    const framed = frameOnce(buf);
    for (const session of members) {
      const socket = session.socket;
      if (session === except || session.closing || socket.readyState !== WebSocket.OPEN) continue;
      socket._socket.write(framed);
      if (socket.bufferedAmount > MAX_BUFFERED) close(session, 4008, 'slow consumer');
      else delivered++;
    }
    return delivered;
  }
  for (const session of members) if (session !== except && write(session, buf)) delivered++;
  return delivered;
}

// ---- history ------------------------------------------------------------------------------------

function streamOf(room) {
  let stream = streams.get(room);
  if (!stream) streams.set(room, (stream = { epoch: randomBytes(8).toString('base64url'), offset: 0, entries: [] }));
  return stream;
}

// ---- inbound ------------------------------------------------------------------------------------

function tooDeepOrProto(value, depth) {
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (tooDeepOrProto(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (key === '__proto__' || tooDeepOrProto(value[key], depth + 1)) return true;
  }
  return false;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKeys(data, a, b) {
  for (const key in data) if (key !== a && key !== b) return false;
  return true;
}

function takeToken(session, now) {
  const elapsed = now - session.updatedAt;
  if (elapsed > 0) {
    session.tokens = Math.min(BURST, session.tokens + (elapsed * RATE) / 1000);
    session.updatedAt = now;
  }
  if (session.tokens >= 1) {
    session.tokens -= 1;
    session.refused = 0;
    return true;
  }
  session.refused++;
  return false;
}

function onMessage(raw, isBinary) {
  const session = this[SESSION];
  session.awaitingPong = false;
  if (isBinary) return close(session, 1003, 'binary frames are not supported');
  let frame;
  try {
    frame = JSON.parse(raw.toString());
  } catch {
    return sendError(session, undefined, 'BAD_JSON', 'frame is not valid JSON');
  }
  if (!isObject(frame)) return sendError(session, undefined, 'BAD_ENVELOPE', 'a frame must be a JSON object {type, id?, data?}');
  const { type, id, data } = frame;
  const okId = typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
  for (const key in frame) {
    if (key !== 'type' && key !== 'id' && key !== 'data') return sendError(session, okId, 'BAD_ENVELOPE', 'unknown envelope field');
  }
  if (id !== undefined && okId === undefined) return sendError(session, undefined, 'BAD_ENVELOPE', 'bad id');
  if (typeof type !== 'string' || type.length === 0 || type.length > 64) return sendError(session, okId, 'BAD_ENVELOPE', 'bad type');
  if (data !== undefined && !isObject(data)) return sendError(session, okId, 'BAD_ENVELOPE', 'data must be a JSON object');
  if (tooDeepOrProto(frame, 1)) return sendError(session, okId, 'BAD_ENVELOPE', 'too deep or __proto__');
  if (!takeToken(session, Date.now())) {
    if (session.refused > BURST) return close(session, 4009, 'too many requests');
    return sendError(session, okId, 'RATE_LIMITED', 'rate limit exceeded; slow down');
  }
  const d = data ?? {};
  switch (type) {
    case 'ping':
      if (!onlyKeys(d)) return sendError(session, okId, 'VALIDATION_FAILED', 'data failed validation');
      return send(session, { type: 'pong', id: okId });
    case 'room.join': {
      const { room } = d;
      if (typeof room !== 'string' || !ROOM_NAME.test(room) || !onlyKeys(d, 'room', 'since')) {
        return sendError(session, okId, 'VALIDATION_FAILED', 'data failed validation');
      }
      if (session.permissions === null || !session.permissions.test(room)) {
        return sendError(session, okId, 'FORBIDDEN', 'the token does not permit this room');
      }
      if (!session.rooms.has(room)) {
        session.rooms.add(room);
        addTo(byRoom, room, session);
        announce('presence.join', session, room);
      }
      const stream = streamOf(room);
      const ack = { room, offset: stream.offset, epoch: stream.epoch };
      if (d.since !== undefined) ack.recovered = false;
      return send(session, { type: 'ack', id: okId, data: ack });
    }
    case 'room.leave': {
      const { room } = d;
      if (typeof room !== 'string' || !ROOM_NAME.test(room) || !onlyKeys(d, 'room')) {
        return sendError(session, okId, 'VALIDATION_FAILED', 'data failed validation');
      }
      if (session.rooms.delete(room)) {
        removeFrom(byRoom, room, session);
        announce('presence.leave', session, room);
      }
      return send(session, { type: 'ack', id: okId, data: { room } });
    }
    case 'room.publish': {
      const { room, body } = d;
      if (typeof room !== 'string' || !ROOM_NAME.test(room) || body === undefined || !onlyKeys(d, 'room', 'body')) {
        return sendError(session, okId, 'VALIDATION_FAILED', 'data failed validation');
      }
      if (session.permissions === null || !session.permissions.test(room)) {
        return sendError(session, okId, 'FORBIDDEN', 'the token does not permit this room');
      }
      const stream = streamOf(room);
      const message = { room, messageId: randomUUID(), from: session.userId, body, ts: Date.now(), offset: stream.offset + 1, epoch: stream.epoch };
      const encoded = Buffer.from(JSON.stringify({ type: 'message', data: message })); // serialized once
      stream.offset = message.offset;
      stream.entries.push(encoded);
      if (stream.entries.length > HISTORY_SIZE) stream.entries.shift();
      toRoom(room, encoded);
      return send(session, { type: 'ack', id: okId, data: { messageId: message.messageId, ts: message.ts, offset: message.offset, epoch: message.epoch } });
    }
    default:
      return sendError(session, okId, 'UNKNOWN_TYPE', 'no handler for this message type');
  }
}

/** Called with the session already in the room (join) or out of it (leave). */
function announce(type, session, room) {
  const members = byRoom.get(room)?.size ?? 0;
  if ((type === 'presence.join' ? members : members + 1) > PRESENCE_MAX) return;
  toRoom(room, Buffer.from(JSON.stringify({ type, data: { room, userId: session.userId, sessionId: session.id } })), session);
}

function onAlive() {
  this[SESSION].awaitingPong = false;
}

function onError() {}

function onClose() {
  const session = this[SESSION];
  if (!sessions.delete(session)) return;
  removeFrom(byUser, session.userId, session);
  for (const room of session.rooms) {
    removeFrom(byRoom, room, session);
    announce('presence.leave', session, room);
  }
  session.rooms.clear();
}

// ---- upgrade ------------------------------------------------------------------------------------

const IDENTITY = Symbol('identity');

async function decide(req) {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
  if (!token) return [401, 'token missing'];
  let payload;
  try {
    ({ payload } = await jwtVerify(token, SECRET, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] }));
  } catch (err) {
    return [401, err?.code === 'ERR_JWT_EXPIRED' ? 'token expired' : 'token invalid'];
  }
  const rooms = payload.rooms === undefined ? DEFAULT_ROOMS : payload.rooms;
  if (!Array.isArray(rooms) || !rooms.every((r) => typeof r === 'string')) return [401, 'token invalid'];
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 256 || payload.sub === 'system') return [401, 'token invalid'];
  if (sessions.size >= MAX_CONNECTIONS) return [503, 'server connection limit reached'];
  if ((byUser.get(payload.sub)?.size ?? 0) >= MAX_PER_USER) return [429, 'too many connections for this user'];
  req[IDENTITY] = { userId: payload.sub, rooms, exp: payload.exp };
  return null;
}

const server = http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ connections: sessions.size, rooms: byRoom.size, users: byUser.size, heartbeatTerminations }));
    return;
  }
  res.statusCode = 404;
  res.end();
});

const wss = new WebSocketServer({
  server,
  path: WS_PATH,
  maxPayload: MAX_PAYLOAD,
  perMessageDeflate: false,
  verifyClient: ({ req }, done) => {
    decide(req).then(
      (refusal) => (refusal ? done(false, refusal[0], refusal[1]) : done(true)),
      () => done(false, 500, 'internal error'),
    );
  },
});

wss.on('connection', (socket, req) => {
  const identity = req[IDENTITY];
  const now = Date.now();
  const session = {
    id: randomUUID(),
    userId: identity.userId,
    socket,
    permissions: patternOf(identity.rooms),
    tokens: BURST,
    updatedAt: now,
    refused: 0,
    rooms: new Set(),
    awaitingPong: false,
    closing: false,
    tokenExp: identity.exp,
  };
  socket[SESSION] = session;
  sessions.add(session);
  addTo(byUser, session.userId, session);
  socket.on('message', onMessage);
  socket.on('pong', onAlive);
  socket.on('ping', onAlive);
  socket.on('error', onError);
  socket.once('close', onClose);
  send(session, {
    type: 'welcome',
    data: { sessionId: session.id, userId: session.userId, heartbeatIntervalMs: HB_INTERVAL, heartbeatTimeoutMs: HB_TIMEOUT, maxPayloadBytes: MAX_PAYLOAD },
  });
});

// ---- heartbeats ---------------------------------------------------------------------------------
// One shared timer, with the product's stall tolerance: a sweep whose timer fires more than 50 ms
// late (the event loop was busy) is postponed, and the sweep runs in a setImmediate, after the
// poll phase has read the pongs already waiting in the kernel. Without it, a busy server kills
// live peers (the bench's room fills showed exactly that).

const STALL_TOLERANCE_MS = 50;
let sweepTimer;

function scheduleSweep(due) {
  sweepTimer = setTimeout(() => {
    const late = Date.now() - due;
    if (late > STALL_TOLERANCE_MS) return scheduleSweep(Date.now() + Math.min(late, HB_TIMEOUT));
    setImmediate(sweep);
  }, due - Date.now());
}

function sweep() {
  for (const session of sessions) {
    if (!session.awaitingPong || session.closing) continue;
    session.closing = true;
    heartbeatTerminations++;
    session.socket.terminate();
  }
}

setInterval(() => {
  clearTimeout(sweepTimer);
  const nowSeconds = Date.now() / 1000;
  for (const session of sessions) {
    if (session.closing) continue;
    if (session.tokenExp <= nowSeconds) {
      close(session, 4001, 'token expired');
      continue;
    }
    session.awaitingPong = true;
    session.socket.ping();
  }
  scheduleSweep(Date.now() + HB_TIMEOUT);
}, HB_INTERVAL);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    for (const session of sessions) session.socket.terminate();
    server.close();
    setTimeout(() => process.exit(0), 200).unref();
  });
}

server.listen(PORT, '127.0.0.1', LISTEN_BACKLOG, () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port: server.address().port, wsPath: WS_PATH })}\n`);
});
