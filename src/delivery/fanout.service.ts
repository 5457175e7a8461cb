import { Injectable } from '@nestjs/common';
import { CloseCode } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { OutboundService, PreparedFrame } from './outbound.service';
import { RoomRecovery } from './room-recovery';

/** The key of a session's user stream in RoomRecovery (braces: never a room name). */
export const USER_STREAM_KEY = '{user}';

/** Live frames one session may have held while its recovery reads the history store. */
export const MAX_HELD_FRAMES = 10_000;

/**
 * Delivers one encoded frame to many sessions of this node. The frame is serialized once by the
 * caller and framed once here; each recipient costs one socket write of the same Buffer.
 */
@Injectable()
export class FanoutService {
  constructor(
    private readonly registry: ConnectionRegistryService,
    private readonly outbound: OutboundService,
  ) {}

  /**
   * Returns the number of sessions the frame was handed to. Members recovering the room get it
   * held (with its offset, to drop what their replay already covers) instead of written.
   */
  toRoom(room: string, encoded: Buffer, except?: Session, offset?: number): number {
    return this.toStream(this.registry.inRoom(room), room, encoded, offset, except);
  }

  toUser(userId: string, encoded: Buffer): number {
    return this.toEach(this.registry.ofUser(userId), new PreparedFrame(encoded));
  }

  /**
   * A message of the user's stream to the user's sessions: those reading the stream (welcome,
   * `user.recover`) get it held, as room members recovering a room do (RoomRecovery, keyed '{user}').
   */
  toUserStream(userId: string, encoded: Buffer, offset: number): number {
    return this.toStream(this.registry.ofUser(userId), USER_STREAM_KEY, encoded, offset);
  }

  /** A stream's frame (a room's, or a user's: `key`) to its sessions, written, or held for those recovering it. */
  private toStream(sessions: Iterable<Session>, key: string, encoded: Buffer, offset: number | undefined, except?: Session): number {
    let delivered = 0;
    const frame = new PreparedFrame(encoded);
    for (const session of sessions) {
      if (session === except) continue;
      const route = RoomRecovery.route(session, key, offset);
      if (route === 'write') {
        if (this.outbound.writePrepared(session, frame)) delivered++;
        continue;
      }
      delivered++;
      if (route === 'skip') continue;
      if (route.length >= MAX_HELD_FRAMES) this.outbound.close(session, CloseCode.SlowConsumer, 'slow consumer');
      else route.push({ offset, frame: encoded });
    }
    return delivered;
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
