import type { Socket } from 'node:net';

/**
 * The 101 and the welcome in one kernel write. An accepted upgrade's TCP socket is corked before
 * ws writes the 101, and uncorked at the end of the event-loop turn (one shared setImmediate for
 * every socket corked in the turn). On one node the welcome is written in the same turn (its
 * awaits are resolved promises), so both leave in one writev instead of two writes: about one
 * syscall less per handshake. When the welcome waits longer (a cluster node subscribing to the
 * user's channel on Redis), the 101 still leaves at the end of its turn, as before, and the
 * welcome after it.
 */
export class UpgradeCork {
  private corked: Socket[] = [];
  private scheduled = false;

  /** Holds what is written to `socket` until the end of this turn. */
  hold(socket: Socket): void {
    socket.cork();
    this.corked.push(socket);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.release);
    }
  }

  private readonly release = (): void => {
    this.scheduled = false;
    const corked = this.corked;
    this.corked = [];
    // A socket destroyed meanwhile drops what it held, as it would have dropped the writes.
    for (const socket of corked) socket.uncork();
  };
}
