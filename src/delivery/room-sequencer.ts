export type Verdict = 'deliver' | 'duplicate' | 'gap';

/**
 * Tracks, per room with local members, the last offset this node delivered, to tell a message in
 * order from a duplicate or from a gap (pub/sub is at most once: a dropped subscriber connection
 * or Redis's output-buffer limit loses messages silently). A new epoch is a gap too.
 */
export class RoomSequencer {
  private readonly last = new Map<string, { epoch: string; offset: number }>();

  accept(room: string, offset: number, epoch: string): Verdict {
    const last = this.last.get(room);
    this.last.set(room, { epoch, offset: last && last.epoch === epoch ? Math.max(last.offset, offset) : offset });
    if (!last) return 'deliver';
    if (last.epoch !== epoch) return 'gap';
    if (offset <= last.offset) return 'duplicate';
    return offset === last.offset + 1 ? 'deliver' : 'gap';
  }

  /**
   * A join learned the room's position: the baseline if this node had none. A baseline of the same
   * epoch is never moved forward here: the messages between it and the join's position are still
   * on their way over the bus, and the room's other members need them.
   */
  observe(room: string, offset: number, epoch: string): void {
    const last = this.last.get(room);
    if (!last || last.epoch !== epoch) this.last.set(room, { epoch, offset });
  }

  position(room: string): { epoch: string; offset: number } | undefined {
    return this.last.get(room);
  }

  rooms(): string[] {
    return [...this.last.keys()];
  }

  forget(room: string): void {
    this.last.delete(room);
  }
}
