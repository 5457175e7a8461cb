import { Injectable } from '@nestjs/common';
import { CloseCode } from '../protocol';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { OutboundService, PreparedFrame } from './outbound.service';

/** Live frames one session may have held while its recovery reads the history store. */
export const MAX_HELD_FRAMES = 10_000;

/**
 * Delivers one encoded frame to many sessions of this node. The frame is serialized once by the
 * caller and framed once here; each recipient costs one socket write of the same Buffer.
 */
@Injectable()
export class FanoutService {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly outbound: OutboundService,
  ) {}

  /**
   * Returns the number of sessions the frame was handed to. Members recovering the room get it
   * held (with its offset, to drop what their replay already covers) instead of written.
   */
  toRoom(room: string, encoded: Buffer, except?: Session, offset?: number): number {
    let delivered = 0;
    const frame = new PreparedFrame(encoded);
    for (const session of this.registry.inRoom(room)) {
      if (session === except) continue;
      const held = session.recovering?.get(room);
      if (held) {
        if (held.length >= MAX_HELD_FRAMES) this.outbound.close(session, CloseCode.SlowConsumer, 'slow consumer');
        else held.push({ offset, frame: encoded });
        delivered++;
      } else if (session.joinedAhead !== undefined && offset !== undefined && this.alreadyHas(session, room, offset)) {
        delivered++;
      } else if (this.outbound.writePrepared(session, frame)) delivered++;
    }
    return delivered;
  }

  /** Whether the session's join already gave it this offset (see Session.joinedAhead). */
  private alreadyHas(session: Session, room: string, offset: number): boolean {
    const ahead = session.joinedAhead!.get(room);
    if (ahead === undefined) return false;
    if (offset <= ahead) return true;
    session.joinedAhead!.delete(room);
    if (session.joinedAhead!.size === 0) session.joinedAhead = undefined;
    return false;
  }

  toUser(userId: string, encoded: Buffer): number {
    return this.toEach(this.registry.ofUser(userId), new PreparedFrame(encoded));
  }

  toAll(encoded: Buffer): number {
    return this.toEach(this.registry.all(), new PreparedFrame(encoded));
  }

  private toEach(sessions: Iterable<Session>, frame: PreparedFrame): number {
    let delivered = 0;
    for (const session of sessions) {
      if (this.outbound.writePrepared(session, frame)) delivered++;
    }
    return delivered;
  }
}
