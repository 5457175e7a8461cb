import { Inject, Injectable } from '@nestjs/common';
import { BusDeliveryService } from '../delivery/bus-delivery.service';
import { OutboundService } from '../delivery/outbound.service';
import { RoomRecovery } from '../delivery/room-recovery';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { LifecycleEventsService } from '../lifecycle/lifecycle-events.service';
import { JoinAck, StreamPosition } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { fromStore } from '../messaging/store-access';
import { PresenceService } from '../presence/presence.service';

/**
 * Joins and leaves, with recovery. A join holds the room's live frames while history is read
 * (the missed messages with `since`, else the position), writes the replay, then the held frames
 * it does not cover: every message after `since` arrives once, in offset order, before later ones.
 */
@Injectable()
export class RoomSubscriptionsService {
  constructor(
    @Inject(HISTORY_STORE) private readonly history: HistoryStore,
    private readonly registry: ConnectionRegistryService,
    private readonly outbound: OutboundService,
    private readonly presence: PresenceService,
    private readonly busDelivery: BusDeliveryService,
    private readonly lifecycle: LifecycleEventsService,
  ) {}

  async join(session: Session, room: string, since?: StreamPosition): Promise<JoinAck> {
    // Live frames are held from the moment the session is in the room until its position is
    // known, so the ack's offset is exact: nothing after it is missed, nothing up to it repeated.
    const held = RoomRecovery.hold(session, room);
    try {
      const joined = this.enter(session, room);
      // Interest (cluster mode): the node may not have been subscribed to the room (entering made
      // it want the channel), and it has no position in a stream it did not receive. So the read
      // below waits for the SUBSCRIBE reply: Redis runs commands one at a time, and the append
      // script stores and publishes in one step, so every message with an offset above what the
      // read returns was published after the subscription took effect and reaches this node over
      // it; every message up to that offset is in the read (`since`) or covered by the ack. Frames
      // of the new subscription that arrive before the read's reply are held and sorted by offset
      // below; those that arrive after it are duplicates to the sequencer or skipped for this
      // session (RoomRecovery.skipUpTo, as when the bus lags behind a read). Already subscribed
      // (another local member, or in memory): resolved at once, no round trip.
      await this.orUndo(session, room, joined, () => this.busDelivery.roomSubscribed(room));
      const missed = since ? await this.orUndo(session, room, joined, () => this.history.since(room, since)) : null;
      const position = missed
        ? { offset: missed.length > 0 ? missed[missed.length - 1].data.offset : since!.offset, epoch: since!.epoch }
        : await this.orUndo(session, room, joined, () => this.history.position(room));
      for (const message of missed ?? []) this.outbound.write(session, message.frame);
      let offset = position.offset;
      for (const frame of held) {
        if (frame.offset !== undefined && frame.offset <= position.offset) continue;
        this.outbound.write(session, frame.frame);
        if (frame.offset !== undefined) offset = frame.offset;
      }
      // The node's baseline for the room: a later message that skips offsets is a gap. If the bus
      // is behind what this join read from the store, the session skips those frames when they come.
      const nodeAt = this.busDelivery.sequencer.position(room);
      if (nodeAt && nodeAt.epoch === position.epoch && nodeAt.offset < offset) RoomRecovery.skipUpTo(session, room, offset);
      this.busDelivery.sequencer.observe(room, offset, position.epoch);
      const ack: JoinAck = { room, offset, epoch: position.epoch };
      return since ? { ...ack, recovered: missed !== null } : ack;
    } finally {
      RoomRecovery.release(session, room);
    }
  }

  leave(session: Session, room: string): void {
    if (!this.registry.leave(session, room)) return;
    RoomRecovery.forget(session, room);
    this.presence.announceLeave(session, room);
    this.lifecycle.roomLeft(session, room);
  }

  /** Returns whether the session was not a member before. */
  private enter(session: Session, room: string): boolean {
    const joined = this.registry.join(session, room);
    if (joined) this.presence.announceJoin(session, room);
    if (joined) this.lifecycle.roomJoined(session, room);
    return joined;
  }

  /** A join whose history read fails is undone, so an error reply means "not joined". */
  private async orUndo<T>(session: Session, room: string, joined: boolean, call: () => Promise<T>): Promise<T> {
    try {
      return await fromStore(call);
    } catch (err) {
      if (joined) this.leave(session, room);
      throw err;
    }
  }
}
