import type { WebSocketLike } from './types';

/** Close code the client reports (and sends, where it can) when it gives up on a silent socket. */
export const CLIENT_TIMEOUT_CLOSE_CODE = 4000;
export const OPEN = 1;

const noop = () => undefined;

export interface SocketHandlers {
  onOpen: () => void;
  onMessage: (data: unknown) => void;
  onClose: (code: number, reason: string) => void;
}

/** Listens through the `on*` properties, which the browser's WebSocket and `ws` both support. */
export function attach(socket: WebSocketLike, handlers: SocketHandlers): void {
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event: { data?: unknown }) => handlers.onMessage(event?.data);
  socket.onclose = (event: { code?: number; reason?: string }) =>
    handlers.onClose(typeof event?.code === 'number' ? event.code : 1006, event?.reason ?? '');
  socket.onerror = noop; // the close event follows
}

/** Stops listening. `onerror` stays a function: `ws` throws on an 'error' event without a listener. */
export function detach(socket: WebSocketLike): void {
  socket.onopen = noop;
  socket.onmessage = noop;
  socket.onclose = noop;
  socket.onerror = noop;
}

/** Closes without waiting for the peer: `terminate()` where it exists (`ws`), else close(4000). */
export function kill(socket: WebSocketLike, reason: string): void {
  try {
    if (socket.terminate) socket.terminate();
    else socket.close(CLIENT_TIMEOUT_CLOSE_CODE, reason);
  } catch {
    // already closing
  }
}

/** Starts a graceful close; never throws. */
export function closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // already closing
  }
}
