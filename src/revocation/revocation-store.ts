import { Revocation, RevocationList } from './revocation-list.service';

/**
 * Where revocations are kept for every node: each node's RevocationList (the synchronous lookup
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
  add(revocation: Revocation): Promise<void>;
  /** The revocations in force. */
  active(): Promise<Revocation[]>;
}

export const REVOCATION_STORE = Symbol('REVOCATION_STORE');

/** One node: nothing to share; the revocations are kept as the node's list keeps them. */
export class InMemoryRevocationStore implements RevocationStore {
  private readonly list = new RevocationList();

  async add(revocation: Revocation): Promise<void> {
    this.list.revoke(revocation);
  }

  async active(): Promise<Revocation[]> {
    return this.list.active();
  }
}
