import { Backoff, BackoffOptions } from './backoff';
import type { Emitter } from './emitter';
import { ClientErrorCode, RealtimeError, RealtimeErrorCode } from './errors';
import type { JoinAck, StreamPosition } from './protocol';
import type { RoomState } from './room-state';
import type { RealtimeEvents } from './types';

/**
 * Refusals that say "not now" rather than "no": the server's store is failing over (UNAVAILABLE),
 * the user's budget is spent (RATE_LIMITED), or the reply was late (TIMEOUT).
 */
const TRANSIENT: ReadonlySet<RealtimeErrorCode> = new Set(['UNAVAILABLE', 'RATE_LIMITED', ClientErrorCode.Timeout]);
/** Retries of one re-join: with the default backoff, about 10 s in all before the room is dropped. */
export const REJOIN_RETRIES = 5;
export const REJOIN_BACKOFF: Required<BackoffOptions> = { minMs: 250, maxMs: 4000 };

/**
 * After every welcome: re-joins each room the app is in, with `since` = its last seen position, and
 * reports each outcome as a 'recovery' event (recovered: true only when the server replayed every
 * missed message). A transient refusal is retried with backoff (REJOIN_RETRIES times); a re-join
 * cut by another disconnect is left for the next welcome; any other failure drops the room and is
 * reported as an 'error' event carrying the room.
 */
export class RoomRecovery {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly rooms: RoomState,
    private readonly join: (room: string, since: StreamPosition | undefined) => Promise<JoinAck>,
    private readonly events: Emitter<RealtimeEvents>,
  ) {}

  rejoinAll(): void {
    this.cancel();
    for (const room of this.rooms.names()) this.rejoin(room, new Backoff(REJOIN_BACKOFF));
  }

  /** Stops pending retries (the socket is gone, or the client closed). */
  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private rejoin(room: string, backoff: Backoff): void {
    this.join(room, this.rooms.position(room)).then(
      (ack) => {
        if (!this.rooms.has(room)) return; // left meanwhile
        this.rooms.applyAck(room, ack);
        this.events.emit('recovery', { room, recovered: ack.recovered === true, offset: ack.offset, epoch: ack.epoch });
      },
      (error: RealtimeError) => {
        if (error.code === ClientErrorCode.Disconnected || !this.rooms.has(room)) return;
        if (TRANSIENT.has(error.code) && backoff.attempts < REJOIN_RETRIES) return this.retryLater(room, backoff);
        this.rooms.remove(room);
        this.events.emit('error', new RealtimeError(error.code, `re-joining ${room} failed: ${error.message}`, { room, details: error.details }));
      },
    );
  }

  private retryLater(room: string, backoff: Backoff): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.rooms.has(room)) this.rejoin(room, backoff);
    }, backoff.next());
    this.timers.add(timer);
  }
}
