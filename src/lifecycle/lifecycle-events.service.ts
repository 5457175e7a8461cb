import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Session } from '../registry/session';

/** Implement the events you care about; each is called synchronously, in subscription order. */
export interface LifecycleListener {
  connectionOpened?(session: Session): void;
  connectionClosed?(session: Session, code: number): void;
  roomJoined?(session: Session, room: string): void;
  roomLeft?(session: Session, room: string): void;
}

type LifecycleEvent = keyof LifecycleListener;

/**
 * Where sessions and memberships begin and end, for observers (webhooks) that must not be wired
 * into the gateway or the messaging code. A listener that throws is logged and skipped: observers
 * never break a join, a leave or a close.
 */
@Injectable()
export class LifecycleEvents {
  private readonly listeners: LifecycleListener[] = [];

  constructor(@InjectPinoLogger(LifecycleEvents.name) private readonly logger: PinoLogger) {}

  subscribe(listener: LifecycleListener): void {
    this.listeners.push(listener);
  }

  connectionOpened(session: Session): void {
    for (const listener of this.listeners) this.call(listener, 'connectionOpened', () => listener.connectionOpened?.(session));
  }

  connectionClosed(session: Session, code: number): void {
    for (const listener of this.listeners) this.call(listener, 'connectionClosed', () => listener.connectionClosed?.(session, code));
  }

  roomJoined(session: Session, room: string): void {
    for (const listener of this.listeners) this.call(listener, 'roomJoined', () => listener.roomJoined?.(session, room));
  }

  roomLeft(session: Session, room: string): void {
    for (const listener of this.listeners) this.call(listener, 'roomLeft', () => listener.roomLeft?.(session, room));
  }

  private call(listener: LifecycleListener, event: LifecycleEvent, run: () => void): void {
    try {
      run();
    } catch (err) {
      this.logger.error({ err, event, listener: listener.constructor.name }, 'lifecycle listener failed');
    }
  }
}
