import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BUS, Bus } from '../bus/bus';
import { PRESENCE_STORE, PresenceStore } from '../presence/presence-store';
import { DirectAck, DirectMessageData, encodeFrame, ServerMessageType } from '../protocol';
import { fromStore } from './store-access';

/** Direct messages to every session of a user, on every node: from a client (`direct.send`) or the admin API. */
@Injectable()
export class DirectMessagesService {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(PRESENCE_STORE) private readonly directory: PresenceStore,
  ) {}

  /** `delivered` counts the recipient's sessions (on every node) it was sent to; 0 when offline. */
  async send(from: string, to: string, body: unknown): Promise<DirectAck> {
    const data: DirectMessageData = { from, body, messageId: randomUUID(), ts: Date.now() };
    const delivered = await fromStore(() => this.directory.countForUser(to));
    if (delivered > 0) await fromStore(() => this.bus.toUser(to, encodeFrame({ type: ServerMessageType.Direct, data })));
    return { messageId: data.messageId, delivered };
  }
}
