import type { Revocation } from './revocation-list.service';

/**
 * Where revocations are kept for every node: each node's RevocationList (the synchronous lookup
 * of the upgrade) is filled from it at start and kept in step through the bus, with a periodic
 * re-read to catch a message pub/sub lost. In memory (one node) the list itself is the store.
 */
export interface RevocationStore {
  add(revocation: Revocation): Promise<void>;
  /** The revocations in force; [] when this node's list is the only one. */
  active(): Promise<Revocation[]>;
}

export const REVOCATION_STORE = Symbol('REVOCATION_STORE');

/** One node: nothing to share. */
export class InMemoryRevocationStore implements RevocationStore {
  async add(): Promise<void> {}

  async active(): Promise<Revocation[]> {
    return [];
  }
}
