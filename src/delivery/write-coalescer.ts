import type { Socket } from 'node:net';

const WRITTEN_IN_TURN = Symbol('WriteCoalescer turn');
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
 * bound) counts them; a socket destroyed meanwhile drops them, as it would have dropped a write.
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
    if (socket.writableCorked > 0) return;
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
