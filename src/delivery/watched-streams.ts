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
      if (seen.epoch !== stream.epoch || (seen.offset < stream.offset && (immediate || stuck))) {
        resync(key);
      } else if (seen.offset < stream.offset) {
        if (progressed) this.behind.set(key, { stream: stream.offset, seen: seen.offset, since: Date.now() });
      } else {
        this.behind.delete(key);
      }
    }
  }
}
