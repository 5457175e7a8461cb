import { Injectable } from '@nestjs/common';
import { Session } from './session';

const EMPTY: ReadonlySet<Session> = new Set();

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

  /** Gives the session its `seq`: the sessions Map and the user sets iterate in that order. */
  add(session: Session): void {
    session.seq = ++this.lastSeq;
    this.sessions.set(session.id, session);
    addToIndex(this.byUser, session.userId, session);
  }

  /** Removes the session from every index; returns the rooms it was in. */
  remove(session: Session): string[] {
    if (!this.sessions.delete(session.id)) return [];
    removeFromIndex(this.byUser, session.userId, session);
    const rooms = [...session.rooms];
    for (const room of rooms) removeFromIndex(this.byRoom, room, session);
    session.rooms.clear();
    return rooms;
  }

  /** Returns false when the session was already in the room. */
  join(session: Session, room: string): boolean {
    if (session.rooms.has(room)) return false;
    session.rooms.add(room);
    addToIndex(this.byRoom, room, session);
    return true;
  }

  /** Returns false when the session was not in the room. */
  leave(session: Session, room: string): boolean {
    if (!session.rooms.delete(room)) return false;
    removeFromIndex(this.byRoom, room, session);
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

function addToIndex(index: Map<string, Set<Session>>, key: string, session: Session): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(session);
}

function removeFromIndex(index: Map<string, Set<Session>>, key: string, session: Session): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(session);
  if (set.size === 0) index.delete(key);
}
