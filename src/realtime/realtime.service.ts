import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { BUS, Bus } from '../bus/bus';
import { APP_CONFIG, AppConfig } from '../config';
import { OutboundService } from '../delivery/outbound.service';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { DirectMessagesService } from '../messaging/direct-messages.service';
import { MessageError } from '../messaging/message-error';
import { PRESENCE_STORE, PresenceStore, SessionLocation } from '../presence/presence-store';
import { BroadcastData, encodeFrame, ServerMessageType, SYSTEM_SENDER } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { RoomPublisherService } from '../rooms/room-publisher.service';
import { checkBody, checkCloseCode, checkHistoryQuery, checkRoom, checkUser } from './realtime-arguments';
import { RealtimeError } from './realtime-error';
import { DeliveryReceipt, DisconnectReceipt, HistoryQuery, PublishReceipt, RoomHistory, RoomMember } from './realtime.types';
import { BUS_UNAVAILABLE, DIRECTORY_UNAVAILABLE, HISTORY_UNAVAILABLE, storeCall } from './store-call';

/**
 * What a backend does to the connected clients: publish, message users, close sessions, read a
 * room. Injectable anywhere in the host app; the admin REST API is built on it. With REDIS_URL set
 * every call is cluster-wide (it reaches and reads the sessions of every node), and messages come
 * `from: "system"`. Every method throws RealtimeError (see its codes) and, when it throws, has
 * published and sent nothing (a disconnect may have closed some sessions: see disconnectUser).
 */
@Injectable()
export class RealtimeService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(PRESENCE_STORE) private readonly directory: PresenceStore,
    @Inject(HISTORY_STORE) private readonly store: HistoryStore,
    private readonly publisher: RoomPublisherService,
    private readonly direct: DirectMessagesService,
    private readonly registry: ConnectionRegistryService,
    private readonly outbound: OutboundService,
    @InjectPinoLogger(RealtimeService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Publishes to a room as a client's `room.publish` does: stored in the room's history first
   * (which assigns the offset), then a `message` frame to every member on every node; a client
   * joining later recovers it. Errors: INVALID_ROOM, INVALID_BODY, PAYLOAD_TOO_LARGE, UNAVAILABLE
   * (the history store failed).
   */
  async publish(room: string, body: unknown): Promise<PublishReceipt> {
    checkRoom(room);
    checkBody(body, this.config.maxPayloadBytes);
    return storeCall(this.logger, HISTORY_UNAVAILABLE, () => this.publisher.publish(SYSTEM_SENDER, room, body));
  }

  /**
   * A `direct` frame to every session of the user, on every node; not stored. `delivered` counts
   * those sessions (0 when the user is offline). Errors: INVALID_USER, INVALID_BODY,
   * PAYLOAD_TOO_LARGE, UNAVAILABLE (the session directory or the bus failed).
   */
  async sendToUser(userId: string, body: unknown): Promise<DeliveryReceipt> {
    checkUser(userId);
    checkBody(body, this.config.maxPayloadBytes);
    try {
      return await this.direct.send(SYSTEM_SENDER, userId, body);
    } catch (err) {
      if (err instanceof MessageError) throw new RealtimeError('UNAVAILABLE', err.message);
      throw err;
    }
  }

  /**
   * A `broadcast` frame to every session on every node; not stored (there is no history for it).
   * `delivered` counts the sessions connected when it was sent. Errors: INVALID_BODY,
   * PAYLOAD_TOO_LARGE, UNAVAILABLE (the session directory or the bus failed).
   */
  async broadcast(body: unknown): Promise<DeliveryReceipt> {
    checkBody(body, this.config.maxPayloadBytes);
    const data: BroadcastData = { from: SYSTEM_SENDER, body, messageId: randomUUID(), ts: Date.now() };
    const delivered = await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.directory.sessionCount());
    await storeCall(this.logger, BUS_UNAVAILABLE, () => this.bus.toAll(encodeFrame({ type: ServerMessageType.Broadcast, data })));
    return { messageId: data.messageId, delivered };
  }

  /**
   * Closes every session of the user, on every node, with `code` (default 4503, "kicked by an
   * administrator"; clients do not reconnect after 4500-4999). The token stays valid: revoke it to
   * keep the user out. Errors: INVALID_USER, INVALID_CODE, UNAVAILABLE (the directory failed: none
   * closed; or the bus failed: this node's sessions may already be closing).
   */
  async disconnectUser(userId: string, code?: number): Promise<DisconnectReceipt> {
    checkUser(userId);
    checkCloseCode(code);
    const sessions = await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.directory.locate({ userId }));
    return { closed: await this.close(sessions, code) };
  }

  /**
   * Closes one session, on whichever node holds it, with `code` (default 4503). `closed` is 0 when
   * it was already closing. Errors: INVALID_CODE, NOT_FOUND (no node holds it), UNAVAILABLE.
   */
  async disconnectSession(sessionId: string, code?: number): Promise<DisconnectReceipt> {
    checkCloseCode(code);
    const nodeId = this.registry.get(sessionId) ? this.config.nodeId : await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.directory.nodeOf(sessionId));
    if (!nodeId) throw new RealtimeError('NOT_FOUND', 'no such connection');
    return { closed: await this.close([{ id: sessionId, nodeId }], code) };
  }

  /** The room's sessions on every node, in join order. Errors: INVALID_ROOM, UNAVAILABLE. */
  async presence(room: string): Promise<RoomMember[]> {
    checkRoom(room);
    return storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.directory.members(room));
  }

  /**
   * Up to `limit` (default 50) of the newest stored messages with an offset below `before`,
   * ascending, with the room's current offset and epoch. Errors: INVALID_ROOM, INVALID_PAGE,
   * UNAVAILABLE (the history store failed).
   */
  async history(room: string, query: HistoryQuery = {}): Promise<RoomHistory> {
    checkRoom(room);
    const { limit, before } = checkHistoryQuery(query);
    return storeCall(this.logger, HISTORY_UNAVAILABLE, () => this.store.page(room, limit, before));
  }

  /** This node's sessions at once, the others' through their node (bus). Returns how many were open. */
  private async close(sessions: SessionLocation[], code: number | undefined): Promise<number> {
    let closed = 0;
    for (const { id, nodeId } of sessions) {
      const local = this.registry.get(id);
      if (local) {
        if (local.closing) continue;
        this.outbound.disconnect(local, code);
      } else if (nodeId !== this.config.nodeId) {
        await storeCall(this.logger, BUS_UNAVAILABLE, () => this.bus.kick(nodeId, id, code));
      } else {
        continue; // listed on this node but already gone
      }
      closed++;
    }
    return closed;
  }
}
