import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { BUS, Bus, BusListener } from '../bus/bus';
import { NodeLivenessService } from '../cluster/node-liveness.service';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { USER_STREAM_STORE, UserStreamStore } from '../history/user-streams';
import { CloseCode } from '../protocol';
import { ConnectionRegistryService, LocalInterestObserver } from '../registry/connection-registry.service';
import type { Session } from '../registry/session';
import { FanoutService } from './fanout.service';
import { OutboundService } from './outbound.service';
import { WatchedStreams } from './watched-streams';

/**
 * Delivers what the bus brings to this node's sessions. Room messages pass the sequencer: a gap
 * (missed messages) closes the room's local members with 4012 so they reconnect and recover from
 * history, instead of silently skipping messages.
 *
 * Also the one place that decides what this node receives: it follows the registry's local
 * interest (first session in a room or of a user, last one gone) and tells the bus, which
 * subscribes and unsubscribes (lazily, batched) on Redis.
 */
@Injectable()
export class BusDeliveryService implements BusListener, LocalInterestObserver, OnModuleInit {
  readonly sequencer = new WatchedStreams();
  /** The same, per user with local sessions, over the users' streams (keys are user ids). */
  readonly users = new WatchedStreams(true);
  gapsDetected = 0;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(HISTORY_STORE) private readonly history: HistoryStore,
    @Inject(USER_STREAM_STORE) private readonly userStreams: UserStreamStore,
    private readonly registry: ConnectionRegistryService,
    private readonly fanout: FanoutService,
    private readonly outbound: OutboundService,
    private readonly liveness: NodeLivenessService,
    @InjectPinoLogger(BusDeliveryService.name) private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    this.bus.listen(this);
    this.registry.observe(this);
    this.liveness.onTick(() => this.reconcile());
  }

  roomOccupied(room: string): void {
    this.bus.interest('room', room);
  }

  /**
   * The room's last local member left: forget its position too. Once the bus lets the channel
   * go, the next join starts from a new subscription, and a stale baseline would read as a gap.
   */
  roomEmptied(room: string): void {
    this.sequencer.forget(room);
    this.bus.disinterest('room', room);
  }

  userArrived(userId: string): void {
    this.bus.interest('user', userId);
  }

  userGone(userId: string): void {
    this.users.forget(userId);
    this.bus.disinterest('user', userId);
  }

  /** Resolves once this node receives the user's direct frames (RealtimeGateway sends the welcome then); rejects while the bus cannot subscribe. */
  userSubscribed(userId: string): Promise<void> {
    return this.bus.subscribed('user', userId);
  }

  /** Resolves once this node receives everything published to the room from now on (see RoomSubscriptionsService.join). */
  roomSubscribed(room: string): Promise<void> {
    return this.bus.subscribed('room', room);
  }

  roomMessage(room: string, offset: number, epoch: string, frame: Buffer): void {
    if (this.registry.inRoom(room).size === 0) return this.sequencer.forget(room);
    const verdict = this.sequencer.accept(room, offset, epoch);
    if (verdict === 'deliver') this.fanout.toRoom(room, frame, undefined, offset);
    else if (verdict === 'gap') this.resync(room);
  }

  roomEvent(room: string, frame: Buffer, exceptSessionId?: string): void {
    this.fanout.toRoom(room, frame, exceptSessionId === undefined ? undefined : this.registry.get(exceptSessionId));
  }

  userFrame(userId: string, frame: Buffer): void {
    this.fanout.toUser(userId, frame);
  }

  userMessage(userId: string, offset: number, epoch: string, frame: Buffer): void {
    if (this.registry.ofUser(userId).size === 0) return this.users.forget(userId);
    const verdict = this.users.accept(userId, offset, epoch);
    if (verdict === 'deliver') this.fanout.toUserStream(userId, frame, offset);
    else if (verdict === 'gap') this.resyncUser(userId);
  }

  allFrame(frame: Buffer): void {
    this.fanout.toAll(frame);
  }

  kick(sessionId: string, code?: number): void {
    const session = this.registry.get(sessionId);
    if (session) this.outbound.disconnect(session, code);
  }

  /** After a subscription outage, any room whose stream moved on while we were deaf is a gap. */
  resubscribed(): void {
    void this.reconcile(true);
  }

  /**
   * Checks rooms and users' streams against the store (WatchedStreams.reconcile) on every cluster
   * liveness tick, and at once after a subscription outage.
   */
  async reconcile(immediate = false): Promise<void> {
    const failed = (what: string) => (err: unknown, key: string) => this.logger.warn({ err, [what]: key }, `bus: could not check a ${what}'s stream`);
    await this.sequencer.reconcile((room) => this.history.position(room), (room) => this.resync(room), failed('room'), immediate);
    await this.users.reconcile((userId) => this.userStreams.position(userId), (userId) => this.resyncUser(userId), failed('user'), immediate);
  }

  /** The user's stream skipped offsets on this node: its sessions reconnect and recover with `user.recover`. */
  private resyncUser(userId: string): void {
    this.users.forget(userId);
    this.closeToRecover(this.registry.ofUser(userId), { userId }, "bus: missed direct messages; the user's sessions must reconnect to recover");
  }

  private resync(room: string): void {
    this.sequencer.forget(room);
    this.closeToRecover(this.registry.inRoom(room), { room }, 'bus: missed messages; members must reconnect to recover');
  }

  private closeToRecover(of: Iterable<Session>, context: object, message: string): void {
    this.gapsDetected++;
    const sessions = [...of];
    this.logger.warn({ ...context, sessions: sessions.length }, message);
    for (const session of sessions) this.outbound.close(session, CloseCode.Resync, 'missed messages: reconnect to recover');
  }
}
