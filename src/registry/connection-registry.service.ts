import { Injectable } from '@nestjs/common';
import { Session } from './session';

const EMPTY: ReadonlySet<Session> = new Set();

/**
 * Told when this node's first session enters a room or arrives for a user, and when its last one
 * leaves: what the node needs from the bus (BusDeliveryService subscribes by it).
 */
export interface LocalInterestObserver {
  roomOccupied(room: string): void;
  roomEmptied(room: string): void;
  userArrived(userId: string): void;
  userGone(userId: string): void;
}

const NOBODY: LocalInterestObserver = { roomOccupied() {}, roomEmptied() {}, userArrived() {}, userGone() {} };

/**
 * Every live session on this node, indexed by id, by user and by room. Pure bookkeeping: no I/O,
 * no timers. Room and user entries disappear with their last session, so nothing outlives a socket.
 */
@Injectable()
export class ConnectionRegistryService {
  private readonly sessions = new Map<string, Session>();
  private readonly byUser = new Map<string, Set<Session>>();
  private readonly byRoom = new Map<string, Set<Session>>();
  private lastSeq = 0;
  private observer = NOBODY;

  /** The one observer of local interest (BusDeliveryService). */
  observe(observer: LocalInterestObserver): void {
    this.observer = observer;
  }

  /** Gives the session its `seq`: the sessions Map and the user sets iterate in that order. */
  add(session: Session): void {
    session.seq = ++this.lastSeq;
    this.sessions.set(session.id, session);
    if (addToIndex(this.byUser, session.userId, session)) this.observer.userArrived(session.userId);
  }

  /** Removes the session from every index; returns the rooms it was in. */
  remove(session: Session): string[] {
    if (!this.sessions.delete(session.id)) return [];
    if (removeFromIndex(this.byUser, session.userId, session)) this.observer.userGone(session.userId);
    const rooms = [...session.rooms];
    for (const room of rooms) if (removeFromIndex(this.byRoom, room, session)) this.observer.roomEmptied(room);
    session.rooms.clear();
    return rooms;
  }

  /** Returns false when the session was already in the room. */
  join(session: Session, room: string): boolean {
    if (session.rooms.has(room)) return false;
    session.rooms.add(room);
    if (addToIndex(this.byRoom, room, session)) this.observer.roomOccupied(room);
    return true;
  }

  /** Returns false when the session was not in the room. */
  leave(session: Session, room: string): boolean {
    if (!session.rooms.delete(room)) return false;
    if (removeFromIndex(this.byRoom, room, session)) this.observer.roomEmptied(room);
    return true;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  all(): IterableIterator<Session> {
    return this.sessions.values();
  }

  inRoom(room: string): ReadonlySet<Session> {
    return this.byRoom.get(room) ?? EMPTY;
  }

  ofUser(userId: string): ReadonlySet<Session> {
    return this.byUser.get(userId) ?? EMPTY;
  }

  roomNames(): IterableIterator<string> {
    return this.byRoom.keys();
  }

  get size(): number {
    return this.sessions.size;
  }

  get roomCount(): number {
    return this.byRoom.size;
  }

  get userCount(): number {
    return this.byUser.size;
  }
}

/** Returns whether the key is new (its first session). */
function addToIndex(index: Map<string, Set<Session>>, key: string, session: Session): boolean {
  const set = index.get(key);
  if (set) return (set.add(session), false);
  index.set(key, new Set([session]));
  return true;
}

/** Returns whether the key went with its last session. */
function removeFromIndex(index: Map<string, Set<Session>>, key: string, session: Session): boolean {
  const set = index.get(key);
  if (!set || !set.delete(session) || set.size > 0) return false;
  index.delete(key);
  return true;
}
