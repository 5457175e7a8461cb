import { Inject, Injectable } from '@nestjs/common';
import { USER_STREAM_STORE, UserStreamStore } from '../history/user-streams';
import { StreamPosition, UserRecoverAck } from '../protocol';
import { Session } from '../registry/session';
import { BusDeliveryService } from './bus-delivery.service';
import { OutboundService } from './outbound.service';
import { USER_STREAM_KEY } from './fanout.service';
import { RoomRecovery } from './room-recovery';

/**
 * A session's side of its user's stream (docs/protocol.md, section 10.1): the exact position the
 * welcome announces, and `user.recover`. Live `direct` frames of the stream are held while either
 * reads the store, as a room join holds the room's (RoomRecovery, keyed by USER_STREAM_KEY).
 */
@Injectable()
export class UserStreamService {
  constructor(
    @Inject(USER_STREAM_STORE) private readonly store: UserStreamStore,
    private readonly delivery: BusDeliveryService,
    private readonly outbound: OutboundService,
  ) {}

  /** From the session's registration until opened(): its user's live stream frames are held. */
  hold(session: Session): void {
    RoomRecovery.hold(session, USER_STREAM_KEY);
  }

  /**
   * Once the node receives the user's channel: reads the stream's position, which becomes the
   * session's (undefined when the store failed), and calls `welcome` with it before writing the
   * held frames above it.
   */
  async opened(session: Session, welcome: (position?: StreamPosition) => void): Promise<void> {
    const held = session.recovering?.get(USER_STREAM_KEY) ?? [];
    let position: StreamPosition | undefined;
    try {
      position = await this.store.position(session.userId);
    } catch {
      position = undefined;
    }
    try {
      session.userStream = position;
      welcome(position);
      let offset = position?.offset ?? 0;
      for (const frame of held) {
        if (position && frame.offset !== undefined && frame.offset <= position.offset) continue;
        this.outbound.write(session, frame.frame);
        if (frame.offset !== undefined) offset = frame.offset;
      }
      if (position) this.baseline(session, offset, position.epoch);
    } finally {
      RoomRecovery.release(session, USER_STREAM_KEY);
    }
  }

  /**
   * `user.recover`: the messages in (since, welcome position], all or none, written before the ack.
   * Undefined when the welcome had no position (the store failed then); rejects when the store fails now.
   */
  async recover(session: Session, since: StreamPosition): Promise<UserRecoverAck | undefined> {
    const at = session.userStream;
    if (!at) return undefined;
    const held = RoomRecovery.hold(session, USER_STREAM_KEY);
    try {
      const usable = since.epoch === at.epoch && since.offset <= at.offset;
      const missed = usable ? await this.store.since(session.userId, since) : null;
      // The stream may have grown past the welcome's position: those came (or come) live.
      for (const message of missed ?? []) if (message.data.offset <= at.offset) this.outbound.write(session, message.frame);
      for (const frame of held) this.outbound.write(session, frame.frame);
      return { offset: at.offset, epoch: at.epoch, recovered: missed !== null };
    } finally {
      RoomRecovery.release(session, USER_STREAM_KEY);
    }
  }

  /** The node's baseline for the user; if the bus is behind what the store said, the session skips those frames when they come. */
  private baseline(session: Session, offset: number, epoch: string): void {
    const nodeAt = this.delivery.users.position(session.userId);
    if (nodeAt && nodeAt.epoch === epoch && nodeAt.offset < offset) RoomRecovery.skipUpTo(session, USER_STREAM_KEY, offset);
    this.delivery.users.observe(session.userId, offset, epoch);
  }
}
