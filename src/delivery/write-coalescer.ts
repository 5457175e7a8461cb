import type { Socket } from 'node:net';

/**
 * One kernel write per socket per event-loop turn (COALESCE_WRITES). The first frame written to a
 * socket in a turn corks it; at the end of the turn (setImmediate: after this turn's I/O callbacks,
 * before the next turn's timers) every corked socket is uncorked, and Node hands what each holds to
 * the kernel in one writev. A busy room (several publishes read in one turn), a burst of direct
 * messages or a recovery replay then costs each member one write instead of one per frame, while a
 * lone frame waits only for the rest of the turn it was written in.
 *
 * Corked bytes are in the socket's writable buffer, so ws's bufferedAmount (the slow-consumer
 * bound) counts them; a socket destroyed meanwhile drops them, as it would have dropped a write.
 */
export class WriteCoalescer {
  private held: Socket[] = [];

  hold(socket: Socket): void {
    // Corked already: by this coalescer earlier in the turn (ws corks only within one call).
    if (socket.writableCorked > 0) return;
    socket.cork();
    if (this.held.push(socket) === 1) setImmediate(this.release);
  }

  /** Sockets waiting for the end of the turn (tests). */
  get holding(): number {
    return this.held.length;
  }

  private readonly release = (): void => {
    const held = this.held;
    this.held = [];
    for (const socket of held) socket.uncork();
  };
}
