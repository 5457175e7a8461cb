import type { Socket } from 'node:net';
import { Injectable } from '@nestjs/common';

const ADDRESS = Symbol('counted-address');
type CountedSocket = Socket & { [ADDRESS]?: string };

/**
 * Open connections per client address, for MAX_CONNECTIONS_PER_IP. A connection is counted from
 * the moment its upgrade is accepted (so concurrent handshakes cannot overshoot the limit) until
 * its TCP socket closes, whatever closes it; the release listener is one shared function, the
 * address hangs off the socket (no closure per connection).
 */
@Injectable()
export class AddressConnections {
  private readonly counts = new Map<string, number>();
  private readonly release: (this: CountedSocket) => void;

  constructor() {
    const counts = this.counts;
    this.release = function () {
      const address = this[ADDRESS]!;
      const left = (counts.get(address) ?? 1) - 1;
      if (left > 0) counts.set(address, left);
      else counts.delete(address);
    };
  }

  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }

  /** Addresses with at least one connection: the soak checks this returns to 0. */
  get addresses(): number {
    return this.counts.size;
  }

  /** Counts `socket` against `address` until it closes; false (not counted) if it is closed already. */
  hold(address: string, socket: Socket): boolean {
    const counted = socket as CountedSocket;
    if (counted.destroyed || counted[ADDRESS] !== undefined) return false;
    counted[ADDRESS] = address;
    this.counts.set(address, this.count(address) + 1);
    // `on`, not `once`: a net.Socket emits 'close' once, and `once` would cost a bound wrapper and its state per connection.
    counted.on('close', this.release);
    return true;
  }
}
