import { PresenceMember } from '../protocol';
import type { Session } from '../registry/session';

/** What the cluster knows about a session, for presence, limits and the admin API. */
export interface SessionRecord {
  id: string;
  userId: string;
  nodeId: string;
  connectedAt: number;
  remoteAddress: string;
  /** The token's `jti`, when it had one. */
  tokenId?: string;
  /** By name. */
  rooms: string[];
  /** On another node: as of that node's last liveness refresh (NODE_TTL_MS / 3). */
  lastActivityAt: number;
  /** Position in the connection order (this node's, or the cluster's on Redis): the admin list's cursor. */
  seq: number;
}

export interface SessionQuery {
  user?: string;
  room?: string;
  node?: string;
  /** Sessions after this `seq` (0: from the start). */
  afterSeq: number;
  limit: number;
}

export interface SessionRecordPage {
  sessions: SessionRecord[];
  /** The `seq` to continue after, or null on the last page. */
  next: number | null;
}

export interface RoomCount {
  room: string;
  members: number;
}

export interface RoomCountPage {
  items: RoomCount[];
  /** The room name to continue after, or null on the last page. */
  next: string | null;
}

/** Distinct counts over every node. */
export interface DirectoryTotals {
  connections: number;
  users: number;
  rooms: number;
}

/** Where a session lives, for closing it from any node. */
export interface SessionLocation {
  id: string;
  nodeId: string;
}

/** What a node reports about itself (GET /admin/stats), kept in the cluster store for NODE_TTL_MS. */
export interface NodeStatsSnapshot {
  node: string;
  connections: number;
  users: number;
  rooms: number;
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  heartbeatTerminations: number;
  slowConsumerCloses: number;
  uptimeSeconds: number;
  /** Milliseconds since the epoch. */
  reportedAt: number;
}


/** A session reaped from a dead node, with the rooms it was in. */
export interface ReapedSession {
  record: SessionRecord;
  node: string;
}

/**
 * Who is connected and in which rooms, across every node. The in-memory store is this node's
 * registry; the Redis store is cluster-wide: each node refreshes its liveness, and the sessions of
 * a node that stops refreshing (killed with -9) are removed by the others within NODE_TTL_MS plus
 * one refresh period, with presence.leave announced for each of their rooms.
 *
 * Callers keep the registry and the store in step: registry.add then connected(), registry.join
 * then joined(), registry.leave then left(), registry.remove then disconnected(). Both stores then
 * answer the same: a connected session is found by session(), nodeOf(), sessions(), locate() and
 * counted by countForUser(), sessionCount() and totals(); its rooms list it in members(), count it
 * in roomSize() and appear in rooms(); leaving or disconnecting takes it out of all of them, and a
 * room or user with no session left is no longer listed or counted. Member lists have no order.
 * Where they differ, by nature: seq is this node's registration order in memory and the cluster's
 * connection order on Redis; in memory lastActivityAt is live, on Redis as of the last liveness
 * refresh; nodeStats() is [] in memory; only the Redis store sees other nodes' sessions and can
 * fail (its calls reject while Redis is unreachable).
 */
interface Directory {
  connected(session: Session): Promise<void>;
  disconnected(session: Session, rooms: string[]): Promise<void>;
  joined(session: Session, room: string): Promise<void>;
  left(session: Session, room: string): Promise<void>;
  members(room: string): Promise<PresenceMember[]>;
  /** How many sessions are in the room, on every node. */
  roomSize(room: string): Promise<number>;
  countForUser(userId: string): Promise<number>;
  /** Sessions connected on every node. */
  sessionCount(): Promise<number>;
  /** The node a session lives on, or undefined if unknown. */
  nodeOf(sessionId: string): Promise<string | undefined>;
  /** One page of the sessions on every node, in connection order (`seq`), filters combined with AND. */
  sessions(query: SessionQuery): Promise<SessionRecordPage>;
  session(id: string): Promise<SessionRecord | undefined>;
  /** The sessions of a user and/or of a token id (either matches), wherever they live. */
  locate(match: { userId?: string; jti?: string }): Promise<SessionLocation[]>;
  /** Rooms with members anywhere, by name, after `after`. */
  rooms(prefix: string, after: string, limit: number): Promise<RoomCountPage>;
  totals(): Promise<DirectoryTotals>;
  /** What the live nodes last reported (none in memory: the caller has its own). */
  nodeStats(): Promise<NodeStatsSnapshot[]>;
}

/** This node's registry, read as a directory: nothing to store, nothing to fail, no other node. */
export interface LocalPresenceStore extends Directory {
  readonly sharedAcrossNodes: false;
}

/**
 * The cluster-wide directory: each node refreshes its liveness through heartbeat() and reaps the
 * nodes that stopped (NodeLivenessService drives both).
 */
export interface SharedPresenceStore extends Directory {
  readonly sharedAcrossNodes: true;
  /**
   * Marks this node alive until now + ttlMs, publishes its stats for as long, and records the last
   * activity of its sessions that were active since the previous call. Returns false when the node
   * was not listed: its first call, or the store lost the directory, or the others reaped this node.
   */
  heartbeat(ttlMs: number, stats: NodeStatsSnapshot, activity: [string, number][]): Promise<boolean>;
  /** Removes every node whose liveness expired, and the sessions they held (each reaped once cluster-wide). */
  reapDeadNodes(): Promise<ReapedSession[]>;
  /** At start: what a previous process with this NODE_ID left (it was killed before the others reaped it). */
  reapOwnLeftovers(): Promise<ReapedSession[]>;
  /** Resolves once the store is reachable, or after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<void>;
}

export type PresenceStore = LocalPresenceStore | SharedPresenceStore;

export const PRESENCE_STORE = Symbol('PRESENCE_STORE');

/**
 * Whether a room's members are told that a session joined or left: only while the room has at most
 * PRESENCE_EVENTS_MAX_MEMBERS members, that session included. Filling a room of N with every join
 * announced costs N(N-1)/2 frames (12.5 million for 5,000, again after every node restart); larger
 * rooms use presence.get.
 */
export const announcesPresence = (membersWithSession: number, maxMembers: number): boolean => membersWithSession <= maxMembers;
