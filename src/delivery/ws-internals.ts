import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { installedVersion } from '../internals/installed-version';

/**
 * The one file that reads private members of ws's WebSocket, for the fan-out fast path
 * (OutboundService.writePrepared: one pre-built frame written to every member's TCP socket) and
 * for coalesced writes (WriteCoalescer corks that TCP socket for the rest of the turn).
 *
 * What it reads: `_socket`, the net.Socket ws writes its frames to, and `_sender._state` /
 * `_sender._queue`: ws's Sender queues frames while it compresses or reads a Blob, and a frame
 * written around it then would overtake the queued ones. Everything else goes through ws's public
 * API: `extensions` (permessage-deflate negotiated?) and `bufferedAmount` (the slow-consumer
 * bound, which counts the socket's unsent bytes and so sees these writes).
 *
 * Why: ws has no public way to send pre-framed bytes; per member, `ws.send` frames the payload
 * again and goes through the Sender. Measured in docs/performance.md, "Library internals we read,
 * and why": server CPU per delivered message in the fan-out scenario with and without this path.
 *
 * Checked against ws 8.23.0 (lib/websocket.js setSocket, lib/sender.js DEFAULT state), pinned by
 * package.json's `overrides`. The shape is checked on first use and a mismatch throws, naming ws
 * and its installed version; src/delivery/ws-internals.spec.ts checks it against the installed ws.
 */
export const WS_CHECKED_VERSION = '8.23.0';

interface WsPrivate {
  _socket?: Socket | null;
  _sender?: { _state: number; _queue: unknown[] } | null;
}

/** ws's Sender state when it is neither deflating nor reading a Blob (lib/sender.js `DEFAULT`). */
const SENDER_IDLE = 0;

let shapeChecked = false;

/** Throws unless an open ws WebSocket has the private members this file reads, with their types. */
export function assertWsShape(ws: WebSocket): void {
  const internals = ws as unknown as WsPrivate;
  const socket = internals._socket;
  const sender = internals._sender;
  const problems: string[] = [];
  if (!socket || typeof socket.write !== 'function' || typeof socket.destroyed !== 'boolean') problems.push('_socket is not a net.Socket');
  if (!sender || typeof sender._state !== 'number') problems.push('_sender._state is not a number');
  if (!sender || !Array.isArray(sender._queue)) problems.push('_sender._queue is not an array');
  if (problems.length > 0) {
    throw new Error(
      `ws ${installedVersion('ws')}: ${problems.join('; ')}. src/delivery/ws-internals.ts was written for ws ${WS_CHECKED_VERSION}; ` +
        're-check lib/websocket.js and lib/sender.js and update it (or pin ws back).',
    );
  }
}

/** The private members, the shape checked on first use (assertWsShape). */
function internalsOf(ws: WebSocket): WsPrivate {
  if (!shapeChecked) {
    assertWsShape(ws);
    shapeChecked = true;
  }
  return ws as unknown as WsPrivate;
}

/** The TCP socket ws writes an open WebSocket's frames to (WriteCoalescer corks it); undefined once destroyed. */
export function tcpSocketOf(ws: WebSocket): Socket | undefined {
  const socket = internalsOf(ws)._socket;
  return socket && !socket.destroyed ? socket : undefined;
}

/**
 * The TCP socket of an open ws WebSocket when a frame may be written to it directly: no
 * permessage-deflate negotiated (the server disables it; with it, frames must keep ws's order
 * through its queue) and nothing queued in ws's Sender. Else undefined, and the caller uses
 * ws.send. The first call checks the shape (assertWsShape).
 */
export function writableSocketOf(ws: WebSocket): Socket | undefined {
  if (ws.extensions !== '') return undefined;
  const { _socket: socket, _sender: sender } = internalsOf(ws);
  if (!socket || !sender || sender._state !== SENDER_IDLE || sender._queue.length > 0) return undefined;
  return socket.destroyed ? undefined : socket;
}
