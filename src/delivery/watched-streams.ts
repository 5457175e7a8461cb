import type { StreamPosition } from '../protocol';
import { RoomSequencer } from './room-sequencer';

/** A stream this long behind the store without any progress has lost messages, not just lagged. */
export const STUCK_AFTER_MS = 3000;

/**
 * The sequencer of one kind of stream (rooms, or users' direct streams), plus what its periodic
 * check needs: the streams that were behind the store at the last check.
 */
export class WatchedStreams extends RoomSequencer {
  /** Streams ahead of this node at the last check: the stream's and our offsets then. */
  private readonly behind = new Map<string, { stream: number; seen: number; since: number }>();

  /**
   * @param rebaseEmpty a stream this node saw empty (offset 0), and never saw ahead of it at a
   *   check, takes a new epoch without a resync: nothing it held can have been missed, except what
   *   was stored in the last check interval before the store lost it, and the store lost that too.
   *   Users' streams: a Redis failover renews every stream's epoch, and most users have no direct
   *   message; resyncing them all would reconnect every client of the cluster.
   */
  constructor(private readonly rebaseEmpty = false) {
    super();
  }

  override forget(key: string): void {
    super.forget(key);
    this.behind.delete(key);
  }

  /**
   * Compares each stream with what this node delivered, and calls `resync` for one that lost
   * messages: its epoch changed, or it made no progress for STUCK_AFTER_MS while the store was
   * ahead (`immediate`: ahead at all, after a subscription outage). A node that is merely slow
   * still moves forward and is left alone. Catches silent pub/sub losses in streams that go quiet,
   * where no later message would reveal the gap.
   */
  async reconcile(
    position: (key: string) => Promise<StreamPosition>,
    resync: (key: string) => void,
    failed: (err: unknown, key: string) => void,
    immediate = false,
  ): Promise<void> {
    for (const key of this.rooms()) {
      let stream: StreamPosition;
      try {
        stream = await position(key);
      } catch (err) {
        failed(err, key);
        continue;
      }
      const seen = this.position(key);
      if (!seen) continue;
      const before = this.behind.get(key);
      const progressed = before === undefined || seen.offset !== before.seen;
      const stuck = !progressed && seen.offset < before.stream && Date.now() - before.since >= STUCK_AFTER_MS;
      if (seen.epoch !== stream.epoch && this.rebaseEmpty && seen.offset === 0 && before === undefined) {
        // Offset 0 of the new epoch: what the store already holds there still comes over the bus.
        this.forget(key);
        this.observe(key, 0, stream.epoch);
      } else if (seen.epoch !== stream.epoch || (seen.offset < stream.offset && (immediate || stuck))) {
        resync(key);
      } else if (seen.offset < stream.offset) {
        if (progressed) this.behind.set(key, { stream: stream.offset, seen: seen.offset, since: Date.now() });
      } else {
        this.behind.delete(key);
      }
    }
  }
}
