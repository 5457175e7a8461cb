/** A revoked user and/or token id. */
export interface Revocation {
  userId?: string;
  jti?: string;
  /** Milliseconds since the epoch; the revocation ends then. */
  untilMs: number;
}

/**
 * Where revocations are kept for every node: each node's RevokedTokens (the synchronous lookup
 * of the upgrade) is filled from it at start and kept in step through the bus, with a periodic
 * re-read to catch a message pub/sub lost.
 *
 * Both stores: active() lists every revocation added whose `untilMs` is still ahead, one entry per
 * user ({userId, untilMs}) and per token id ({jti, untilMs}); a revocation that ended, or was
 * added already ended, is not listed; adding one again never shortens it, a later `untilMs`
 * lengthens it. Only the Redis store is shared by the nodes, and only it can fail (add() and
 * active() reject while Redis is unreachable; callers keep the revocation on their node).
 */
export interface RevocationStore {
  /**
   * True on Redis: other nodes add to it, so a node re-reads it (a bus message may be lost).
   * False in memory: only this node adds, and it applied each revocation already.
   */
  readonly sharedAcrossNodes: boolean;
  add(revocation: Revocation): Promise<void>;
  /** The revocations in force. */
  active(): Promise<Revocation[]>;
}

export const REVOCATION_STORE = Symbol('REVOCATION_STORE');
