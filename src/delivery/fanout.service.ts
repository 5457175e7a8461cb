import { Injectable } from '@nestjs/common';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { OutboundService } from './outbound.service';

/**
 * Delivers one encoded frame to many sessions of this node. The frame is serialized once by the
 * caller; each recipient costs one socket write.
 */
@Injectable()
export class FanoutService {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly outbound: OutboundService,
  ) {}

  /** Returns the number of sessions the frame was handed to. */
  toRoom(room: string, encoded: Buffer, except?: Session): number {
    return this.toEach(this.registry.inRoom(room), encoded, except);
  }

  toUser(userId: string, encoded: Buffer): number {
    return this.toEach(this.registry.ofUser(userId), encoded);
  }

  toAll(encoded: Buffer): number {
    return this.toEach(this.registry.all(), encoded);
  }

  private toEach(sessions: Iterable<Session>, encoded: Buffer, except?: Session): number {
    let delivered = 0;
    for (const session of sessions) {
      if (session !== except && this.outbound.write(session, encoded)) delivered++;
    }
    return delivered;
  }
}
