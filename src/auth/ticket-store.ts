import type { Identity } from './token-verifier';

/** Nest token of the TicketStore: in memory on one node, on Redis in a cluster (AuthModule). */
export const TICKET_STORE = Symbol('TICKET_STORE');

/** How long a ticket can be redeemed: long enough for a page to open its socket, too short to be worth stealing. */
export const TICKET_TTL_MS = 30_000;

/** Unredeemed, unexpired tickets one user may hold, in either store (a user with a valid token could otherwise fill it for everyone). */
export const MAX_TICKETS_PER_USER = 32;

/** Thrown by issue() when the store holds too many unredeemed tickets (overall or for one user). */
export class TicketLimitError extends Error {
  override name = 'TicketLimitError';
  constructor(readonly scope: 'user' | 'node') {
    super(`too many outstanding tickets (${scope})`);
  }
}

/** The store could not be reached (Redis down): the ticket was neither issued nor judged (503). */
export class TicketStoreUnavailableError extends Error {
  override name = 'TicketStoreUnavailableError';
}

/**
 * Single-use upgrade tickets, so browsers need not put a long-lived JWT in a URL (URLs end up in
 * proxy and browser logs; a ticket there is useless after one upgrade or TICKET_TTL_MS).
 *
 * Both stores: a ticket is redeemed at most once, never after ttlMs nor past its token's `exp`;
 * a user holds at most MAX_TICKETS_PER_USER unredeemed, unexpired tickets (issue() throws
 * TicketLimitError('user'); redeeming or expiry frees a slot, a refused issue does not count).
 * Where they differ, by nature:
 * - In memory (one node) the store also caps all outstanding tickets at
 *   InMemoryTicketStore.maxOutstanding (TicketLimitError('node')): it bounds this process's memory.
 *   On Redis there is no overall cap (the per-user cap and the expiry bound it) and a ticket issued
 *   on any node is redeemed on any node.
 * - Only the Redis store can be unreachable: then issue() and redeem() throw
 *   TicketStoreUnavailableError, having neither issued nor judged the ticket.
 */
export interface TicketStore {
  /** An opaque ticket that redeem() turns back into `identity` once, within ttlMs. */
  issue(identity: Identity, ttlMs: number): Promise<string>;
  /** The identity, at most once per ticket; undefined when unknown, already used or expired. */
  redeem(ticket: string): Promise<Identity | undefined>;
}
