import { PendingFrame, Session } from '../registry/session';

/** Where a live room frame goes for one member: written, skipped, or held in the returned list. */
export type LiveFrameRoute = 'write' | 'skip' | PendingFrame[];

/**
 * The one place that reads and writes a session's recovery state (Session.recovering and
 * Session.joinedAhead): a join (RoomSubscriptionsService) sets it, the fan-out of live room frames
 * (FanoutService.toRoom) obeys it. The state stays on the Session because the fan-out checks it
 * for every recipient of every frame: a property read, where a lookup table would cost a hash.
 */
export class RoomRecovery {
  /** From now until `release`, the room's live frames for the session are held in the returned list. */
  static hold(session: Session, room: string): PendingFrame[] {
    const held: PendingFrame[] = [];
    (session.recovering ??= new Map()).set(room, held);
    return held;
  }

  static release(session: Session, room: string): void {
    session.recovering?.delete(room);
    if (session.recovering?.size === 0) session.recovering = undefined;
  }

  /** The join gave the session the room up to `offset` before this node's bus did: live frames up to it are skipped, once. */
  static skipUpTo(session: Session, room: string, offset: number): void {
    (session.joinedAhead ??= new Map()).set(room, offset);
  }

  /** The session left the room: a later join starts afresh. */
  static forget(session: Session, room: string): void {
    session.joinedAhead?.delete(room);
  }

  /** `offset` is the room message's (absent for events, which are never skipped). */
  static route(session: Session, room: string, offset: number | undefined): LiveFrameRoute {
    const held = session.recovering?.get(room);
    if (held) return held;
    if (session.joinedAhead === undefined || offset === undefined) return 'write';
    const ahead = session.joinedAhead.get(room);
    if (ahead === undefined) return 'write';
    if (offset <= ahead) return 'skip';
    session.joinedAhead.delete(room);
    if (session.joinedAhead.size === 0) session.joinedAhead = undefined;
    return 'write';
  }
}
