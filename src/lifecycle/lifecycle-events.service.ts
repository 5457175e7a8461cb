import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { SessionInfo } from '../registry/session-info';

/** What observers know of a session: a live Session, or the record of one reaped from a dead node. */
export type LifecycleSession = Pick<SessionInfo, 'id' | 'userId' | 'connectedAt' | 'remoteAddress'>;

/** Set when the event did not happen on this node: a survivor reports the sessions of a dead node. */
export interface EventOrigin {
  /** NODE_ID of the node the session lived on. */
  node: string;
  reason: string;
}

/** Implement the events you care about; each is called synchronously, in subscription order. */
export interface LifecycleListener {
  connectionOpened?(session: SessionInfo): void;
  connectionClosed?(session: LifecycleSession, code: number, origin?: EventOrigin): void;
  roomJoined?(session: SessionInfo, room: string): void;
  roomLeft?(session: LifecycleSession, room: string, origin?: EventOrigin): void;
}

type LifecycleEvent = keyof LifecycleListener;

/**
 * Where sessions and memberships begin and end, for observers that must not be wired into the
 * gateway or the messaging code: the webhooks, and a host application's own providers (public
 * API). A listener that throws is logged and skipped: observers never break a join, a leave or a close.
 */
@Injectable()
export class LifecycleEventsService {
  private readonly listeners: LifecycleListener[] = [];

  constructor(@InjectPinoLogger(LifecycleEventsService.name) private readonly logger: PinoLogger) {}

  subscribe(listener: LifecycleListener): void {
    this.listeners.push(listener);
  }

  connectionOpened(session: SessionInfo): void {
    for (const listener of this.listeners) this.call(listener, 'connectionOpened', () => listener.connectionOpened?.(session));
  }

  connectionClosed(session: LifecycleSession, code: number, origin?: EventOrigin): void {
    for (const listener of this.listeners) this.call(listener, 'connectionClosed', () => listener.connectionClosed?.(session, code, origin));
  }

  roomJoined(session: SessionInfo, room: string): void {
    for (const listener of this.listeners) this.call(listener, 'roomJoined', () => listener.roomJoined?.(session, room));
  }

  roomLeft(session: LifecycleSession, room: string, origin?: EventOrigin): void {
    for (const listener of this.listeners) this.call(listener, 'roomLeft', () => listener.roomLeft?.(session, room, origin));
  }

  private call(listener: LifecycleListener, event: LifecycleEvent, run: () => void): void {
    try {
      run();
    } catch (err) {
      this.logger.error({ err, event, listener: listener.constructor.name }, 'lifecycle listener failed');
    }
  }
}
