import { PresenceMember } from '../protocol';
import type { Session } from '../registry/session';

/** What the cluster knows about a session, for presence, limits and the admin API. */
export interface SessionRecord {
  id: string;
  userId: string;
  nodeId: string;
  connectedAt: number;
  remoteAddress: string;
}

/**
 * Who is connected and in which rooms, across every node. The in-memory store is this node's
 * registry; the Redis store is cluster-wide: each node refreshes its liveness, and the sessions of
 * a node that stops refreshing (killed with -9) are removed by the others within NODE_TTL_MS plus
 * one refresh period, with presence.leave announced for each of their rooms.
 */
export interface PresenceStore {
  connected(session: Session): Promise<void>;
  disconnected(session: Session, rooms: string[]): Promise<void>;
  joined(session: Session, room: string): Promise<void>;
  left(session: Session, room: string): Promise<void>;
  members(room: string): Promise<PresenceMember[]>;
  countForUser(userId: string): Promise<number>;
  /** Sessions connected on every node. */
  sessionCount(): Promise<number>;
  /** The node a session lives on, or undefined if unknown. */
  nodeOf(sessionId: string): Promise<string | undefined>;
}

export const PRESENCE_STORE = Symbol('PRESENCE_STORE');
