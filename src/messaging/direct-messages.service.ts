import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BUS, Bus } from '../bus/bus';
import { NewDirectMessage, USER_STREAM_STORE, UserStreamStore } from '../history/user-streams';
import { PRESENCE_STORE, PresenceStore } from '../presence/presence-store';
import { DirectAck } from '../protocol';
import { fromStore } from './store-access';

/**
 * Direct messages to every session of a user, on every node: from a client (`direct.send`) or the
 * admin API. Each is appended to the recipient's stream first (which assigns its offset; on Redis
 * the append script publishes it), then delivered: a session that was offline recovers it with
 * `user.recover` (docs/protocol.md, section 10.1).
 */
@Injectable()
export class DirectMessagesService {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(PRESENCE_STORE) private readonly directory: PresenceStore,
    @Inject(USER_STREAM_STORE) private readonly streams: UserStreamStore,
  ) {}

  /** `delivered` counts the recipient's sessions (on every node) when it was sent; 0 when offline (it is stored all the same). */
  async send(from: string, to: string, body: unknown): Promise<DirectAck> {
    const message: NewDirectMessage = { from, body, messageId: randomUUID(), ts: Date.now() };
    const delivered = await fromStore(() => this.directory.countForUser(to));
    const stored = await fromStore(() => this.streams.append(to, message));
    this.bus.userMessageStored(to, stored);
    return { messageId: message.messageId, delivered };
  }
}
