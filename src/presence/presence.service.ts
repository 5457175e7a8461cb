import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { BUS, Bus } from '../bus/bus';
import { announcesPresence, PRESENCE_STORE, PresenceStore } from './presence-store';
import { APP_CONFIG, AppConfig } from '../config';
import { encodeFrame, PresenceEventData, PresenceMember, ServerMessageType } from '../protocol';
import { Session } from '../registry/session';

/** Who joined or left: a live session here, or the record of one reaped from a dead node. */
type Member = Pick<Session, 'id' | 'userId'>;

/**
 * Keeps the presence store in step with sessions and rooms, and tells a room's other members (on
 * every node) when a session joins or leaves it, while the room is small enough (see
 * `announcesPresence`). Store and bus failures are logged: they must not fail the join, leave or
 * close that caused them.
 */
@Injectable()
export class PresenceService {
  constructor(
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(PresenceService.name) private readonly logger: PinoLogger,
  ) {}

  sessionOpened(session: Session): void {
    this.background(this.store.connected(session), 'presence: session not recorded');
  }

  sessionClosed(session: Session, rooms: string[]): void {
    this.background(this.store.disconnected(session, rooms), 'presence: session not removed');
    for (const room of rooms) this.announceLeft(session, room);
  }

  announceJoin(session: Session, room: string): void {
    this.background(this.store.joined(session, room), 'presence: join not recorded');
    this.announce(ServerMessageType.PresenceJoin, session, room);
  }

  announceLeave(session: Session, room: string): void {
    this.background(this.store.left(session, room), 'presence: leave not recorded');
    this.announceLeft(session, room);
  }

  members(room: string): Promise<PresenceMember[]> {
    return this.store.members(room);
  }

  /**
   * Tells the room's other members the session left, once the store has counted it out (the count
   * is read after the leave was recorded): a local leave or close, or a dead node's reaped session.
   */
  announceLeft(session: Member, room: string): void {
    this.announce(ServerMessageType.PresenceLeave, session, room, 1);
  }

  private announce(type: string, session: Member, room: string, uncounted = 0): void {
    const send = async () => {
      if (!announcesPresence((await this.store.roomSize(room)) + uncounted, this.config.presenceEventsMaxMembers)) return;
      const data: PresenceEventData = { room, userId: session.userId, sessionId: session.id };
      await this.bus.roomEvent(room, encodeFrame({ type, data }), session.id);
    };
    this.background(send(), 'presence: event not sent');
  }

  private background(work: Promise<void>, message: string): void {
    work.catch((err: unknown) => this.logger.warn({ err }, message));
  }
}
