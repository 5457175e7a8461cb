// A lean WebSocket client for the load generator: a raw TCP socket, a hand-written upgrade, and a
// frame reader that only looks at frame headers and at the first letters of the "type" value.
// On loopback a receiver costs about as much CPU as the sender, so the generator avoids
// everything `ws` does per message (UTF-8 validation, a Buffer and an event per message, masking):
//   - every socket reads into ONE shared buffer (net `onread`), processed synchronously;
//   - frames are counted by kind without parsing JSON; only clients with an `onFrame` hook see
//     payloads (the latency sample, request/reply clients);
//   - "batched" clients pause their socket after each read (readStop) and are resumed together by
//     one timer every BATCH_MS, so a bulk subscriber costs one read per interval, not per message;
//   - frames we send use an all-zero masking key (valid per RFC 6455; the server still unmasks).
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const CRLFCRLF = Buffer.from('\r\n\r\n');
const HANDSHAKE_KEY = 'YmVuY2gtbGVhbi1jbGllbg=='; // fixed 16 bytes: the server only echoes a hash of it

export const Kind = Object.freeze({ Message: 1, Presence: 2, Ack: 3, Error: 4, Welcome: 5, Pong: 6, Other: 7 });

/** Process-wide counters: unexpected closes are false terminations for the scenarios. */
export const clientStats = { unexpectedCloses: 0, closeCodes: {}, pingsAnswered: 0, lastPingAt: 0 };

let batchMs = 50;
const paused = new Set();
let resumeTimer = null;

/** How often batched clients read (ms); takes effect at once. */
export function setBatchInterval(ms) {
  batchMs = ms;
  if (resumeTimer) {
    clearInterval(resumeTimer);
    resumeTimer = setInterval(resumeAll, batchMs);
  }
}

function resumeAll() {
  for (const socket of paused) if (!socket.destroyed) socket.resume();
  paused.clear();
}

function parkForBatch(socket) {
  paused.add(socket);
  if (!resumeTimer) {
    resumeTimer = setInterval(resumeAll, batchMs);
  }
}

/** Stops the shared resume timer (and resumes what it held), so the process can exit. */
export function stopBatching() {
  if (resumeTimer) clearInterval(resumeTimer);
  resumeTimer = null;
  resumeAll();
}

function kindOf(buf, ps) {
  // Every frame of both servers is JSON.stringify({type, ...}): the type starts at byte 9.
  switch (buf[ps + 9]) {
    case 0x6d: return Kind.Message; // m
    case 0x70: return buf[ps + 10] === 0x72 ? Kind.Presence : Kind.Pong; // pr / po
    case 0x61: return Kind.Ack; // a
    case 0x65: return Kind.Error; // e
    case 0x77: return Kind.Welcome; // w
    default: return Kind.Other;
  }
}

export class LeanClient {
  constructor(index) {
    this.index = index;
    this.socket = null;
    this.open = false; // welcome received
    this.closed = false;
    this.closing = false; // we closed it on purpose
    this.batched = false;
    this.closeCode = 0;
    this.messages = 0;
    this.presence = 0;
    this.acks = 0;
    this.errors = 0;
    this.pings = 0;
    this.other = 0;
    /** (client, kind, buf, start, end): payload hook; buf is only valid during the call. */
    this.onFrame = null;
    this.pending = null;
    this.handshakeDone = false;
    this.connectStartedAt = 0;
    this.welcomeAt = 0;
    this._resolve = null;
    this._reject = null;
  }

  /** Connects, upgrades and resolves when the welcome frame has arrived. */
  connect({ host = '127.0.0.1', port, path = '/ws', token, localAddress, timeoutMs = 15000, startedAt }) {
    this.connectStartedAt = startedAt ?? performance.now();
    return new Promise((resolve, reject) => {
      this._resolve = resolve;
      this._reject = reject;
      const timer = setTimeout(() => this._fail(new Error('connect timeout')), timeoutMs);
      timer.unref();
      this._timer = timer;
      const socket = net.connect({
        host,
        port,
        localAddress,
        noDelay: true,
        onread: { buffer: READ_BUFFER, callback: (n, buf) => this._onRead(n, buf) },
      });
      this.socket = socket;
      socket.on('connect', () => {
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${HANDSHAKE_KEY}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${token}\r\n\r\n`,
        );
      });
      socket.on('error', (err) => {
        this.lastError = err.code ?? err.message;
        if (!this.open) this._fail(err);
      });
      socket.on('close', () => {
        const wasOpen = this.open;
        this.closed = true;
        this.open = false;
        if (wasOpen && !this.closing) {
          clientStats.unexpectedCloses++;
          const code = this.closeCode || 1006;
          clientStats.closeCodes[code] = (clientStats.closeCodes[code] ?? 0) + 1;
        }
        if (!wasOpen) this._fail(new Error(`closed before welcome${this.lastError ? ` (${this.lastError})` : ''}`));
      });
    });
  }

  _fail(err) {
    if (this._reject) {
      clearTimeout(this._timer);
      const reject = this._reject;
      this._reject = this._resolve = null;
      if (this.socket && !this.socket.destroyed) this.socket.destroy();
      reject(err);
    }
  }

  _onRead(nread, buf) {
    let data = buf.subarray(0, nread);
    // A view on the shared read buffer must be copied before it is kept; a concatenation need not.
    let shared = true;
    if (this.pending) {
      data = Buffer.concat([this.pending, data]);
      this.pending = null;
      shared = false;
    }
    let off = 0;
    if (!this.handshakeDone) {
      const end = data.indexOf(CRLFCRLF);
      if (end < 0) {
        this.pending = shared ? Buffer.from(data) : data;
        return true;
      }
      const statusLine = data.toString('latin1', 0, Math.min(end, 64));
      if (!statusLine.startsWith('HTTP/1.1 101')) {
        this._fail(new Error(`upgrade refused: ${statusLine.split('\r\n')[0]}`));
        return false;
      }
      this.handshakeDone = true;
      off = end + 4;
    }
    const len = data.length;
    while (off + 2 <= len) {
      const b1 = data[off + 1];
      let plen = b1 & 0x7f;
      let hl = 2;
      if (plen === 126) {
        if (off + 4 > len) break;
        plen = data.readUInt16BE(off + 2);
        hl = 4;
      } else if (plen === 127) {
        if (off + 10 > len) break;
        plen = data.readUInt32BE(off + 2) * 2 ** 32 + data.readUInt32BE(off + 6);
        hl = 10;
      }
      const ps = off + hl;
      const pe = ps + plen;
      if (pe > len) break;
      const op = data[off] & 0x0f;
      if (op === 1) this._text(data, ps, pe);
      else if (op === 9) this._pong(data, ps, pe);
      else if (op === 8) this._closeFrame(data, ps, pe);
      off = pe;
    }
    if (off < len) this.pending = shared ? Buffer.from(data.subarray(off)) : data.subarray(off);
    // Returning false pauses the socket (readStop): batched clients wait for the shared timer.
    if (this.batched && this.open) {
      parkForBatch(this.socket);
      return false;
    }
    return true;
  }

  _text(buf, ps, pe) {
    const kind = kindOf(buf, ps);
    switch (kind) {
      case Kind.Message: this.messages++; break;
      case Kind.Presence: this.presence++; break;
      case Kind.Ack: this.acks++; break;
      case Kind.Error: this.errors++; break;
      case Kind.Welcome:
        if (!this.open) {
          this.open = true;
          this.welcomeAt = performance.now();
          clearTimeout(this._timer);
          const resolve = this._resolve;
          this._resolve = this._reject = null;
          if (resolve) resolve(this);
        }
        break;
      default: this.other++;
    }
    if (this.onFrame !== null) this.onFrame(this, kind, buf, ps, pe);
  }

  _pong(buf, ps, pe) {
    this.pings++;
    clientStats.pingsAnswered++;
    clientStats.lastPingAt = performance.now();
    const len = pe - ps;
    const frame = Buffer.allocUnsafe(6 + len);
    frame[0] = 0x8a;
    frame[1] = 0x80 | len;
    frame.writeUInt32BE(0, 2);
    buf.copy(frame, 6, ps, pe);
    this.socket.write(frame);
  }

  _closeFrame(buf, ps, pe) {
    this.closeCode = pe - ps >= 2 ? buf.readUInt16BE(ps) : 1005;
    // Not the clean close handshake: the bench only needs to know the code.
    this.socket.destroy();
  }

  /** Sends one text frame (masked with a zero key). */
  send(text) {
    const len = Buffer.byteLength(text);
    const hl = len < 126 ? 6 : len < 65536 ? 8 : 14;
    const frame = Buffer.allocUnsafe(hl + len);
    frame[0] = 0x81;
    if (len < 126) frame[1] = 0x80 | len;
    else if (len < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(0, 2);
      frame.writeUInt32BE(len, 6);
    }
    frame.writeUInt32BE(0, hl - 4);
    frame.write(text, hl);
    return this.socket.write(frame);
  }

  /** Closes on purpose with a TCP reset: no TIME_WAIT left on either side, no close handshake. */
  close() {
    this.closing = true;
    paused.delete(this.socket);
    if (this.socket && !this.socket.destroyed) {
      if (typeof this.socket.resetAndDestroy === 'function' && this.socket._handle) this.socket.resetAndDestroy();
      else this.socket.destroy();
    }
  }
}

/**
 * Opens `count` clients with at most `concurrency` handshakes in flight. `options(i)` gives the
 * connect options of client i. Returns the clients (in order) and per-handshake latencies (ms).
 */
export async function connectMany(count, options, { concurrency = 64, prepare } = {}) {
  const clients = new Array(count);
  const latencies = new Float64Array(count);
  let next = 0;
  let failures = 0;
  let firstError;
  async function worker() {
    while (next < count) {
      const i = next++;
      const client = new LeanClient(i);
      if (prepare) prepare(client, i);
      clients[i] = client;
      try {
        await client.connect(options(i));
        latencies[i] = client.welcomeAt - client.connectStartedAt;
      } catch (err) {
        failures++;
        firstError ??= err;
        latencies[i] = NaN;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { clients, latencies, failures, firstError };
}

export function closeAll(clients) {
  for (const c of clients) if (c) c.close();
}
