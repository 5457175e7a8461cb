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

/** The injection token of the configured RoomAuthorizer (absent: the token's room patterns alone decide). */
export const ROOM_AUTHORIZER = Symbol('ROOM_AUTHORIZER');
