import type { Socket } from 'node:net';

const WRITTEN_IN_TURN = Symbol('WriteCoalescer turn');

/**
 * What one socket may hold before the end of the turn. A burst (thousands of messages read from
 * Redis in one turn) goes to the kernel in writes of about this size instead of waiting whole in
 * the socket's buffer, where ws's bufferedAmount would count it and the slow-consumer bound
 * (SEND_BUFFER_MAX_BYTES) would close a client that reads perfectly well.
 */
export const HOLD_MAX_BYTES = 64 * 1024;
type Tracked = Socket & { [WRITTEN_IN_TURN]?: number };

/**
 * At most two kernel writes per socket per event-loop turn (COALESCE_WRITES). The first frame a
 * socket gets in a turn is written at once, so a lone frame waits for nothing. A second one in the
 * same turn corks the socket: it and every later one wait for the end of the turn (setImmediate:
 * after this turn's I/O callbacks, before the next turn's timers), when the socket is uncorked and
 * Node hands them to the kernel in one writev. A busy room (several publishes read in one turn), a
 * burst of direct messages or a recovery replay then costs each member two writes instead of one
 * per frame; the busier the server, the more frames each turn holds.
 *
 * Corked bytes are in the socket's writable buffer, so ws's bufferedAmount (the slow-consumer
 * bound) counts them: a socket holds at most HOLD_MAX_BYTES before they go. A socket destroyed
 * meanwhile drops them, as it would have dropped a write.
 */
export class WriteCoalescer {
  private turn = 1;
  private turnScheduled = false;
  private corked: Socket[] = [];

  /** Call before writing a frame to `socket`. */
  beforeWrite(socket: Socket): void {
    const tracked = socket as Tracked;
    if (tracked[WRITTEN_IN_TURN] !== this.turn) {
      tracked[WRITTEN_IN_TURN] = this.turn;
      if (!this.turnScheduled) {
        this.turnScheduled = true;
        setImmediate(this.endTurn);
      }
      return;
    }
    // Corked already: by this coalescer earlier in the turn (ws corks only within one call).
    if (socket.writableCorked > 0) {
      if (socket.writableLength >= HOLD_MAX_BYTES) {
        socket.uncork(); // hands what it holds to the kernel now
        socket.cork();
      }
      return;
    }
    socket.cork();
    this.corked.push(socket);
  }

  private readonly endTurn = (): void => {
    this.turnScheduled = false;
    this.turn++;
    const corked = this.corked;
    this.corked = [];
    for (const socket of corked) socket.uncork();
  };
}
