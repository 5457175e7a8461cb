import type { SessionInfo } from '../registry/session-info';

/**
 * Decides from the host application's data whether a session may use a room (RealtimeModule's
 * `roomAuthorizer` option). May be async (a database lookup). Public API: semver applies.
 */
export interface RoomAuthorizer {
  /** May this session join the room (and read its presence and history)? */
  canJoin(session: SessionInfo, room: string): boolean | Promise<boolean>;
  /** May this session publish to the room? Absent: the answer of canJoin. */
  canPublish?(session: SessionInfo, room: string): boolean | Promise<boolean>;
}

/** How rooms are authorized beyond the token's patterns: RealtimeModule's `roomAuthorizer*` options, resolved. */
export interface RoomAuthorization {
  /** Absent: the token's room patterns alone decide. */
  authorizer?: RoomAuthorizer;
  /**
   * false (the default): a room needs the token's patterns AND the authorizer (which is not asked
   * when the token already refuses). true: the authorizer alone decides, the patterns are ignored.
   */
  replacesToken: boolean;
  /** An answer that takes longer refuses with FORBIDDEN (default 2000). */
  timeoutMs: number;
  /** How long an answer, yes or no, is reused for the same session and room (default 10000; 0: never). */
  cacheMs: number;
}

/**
 * The injection token of the RoomAuthorization (provided globally by RealtimeModule; absent: the
 * token's room patterns alone decide, as in the standalone server).
 */
export const ROOM_AUTHORIZATION = Symbol('ROOM_AUTHORIZATION');
