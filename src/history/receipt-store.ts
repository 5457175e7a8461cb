import type { ReceiptState } from '../protocol';

/**
 * Which receipts were already forwarded (docs/protocol.md, 3.12), so that a receipt is forwarded
 * once per recipient, message and state however often the recipient's clients send it (two devices
 * both acknowledge `delivered`; a client retries after a lost ack). A marker lives `ttlMs` from its
 * claim: USER_HISTORY_TTL_MS, the longest a message stays in the recipient's stream, so a receipt
 * sent again after its marker expired finds no message (NOT_FOUND) and is not forwarded either.
 *
 * Both stores: claim() is atomic (of concurrent claims of one receipt, on any node for Redis,
 * exactly one gets true); release() undoes a claim, so that a receipt that could not be forwarded
 * is forwarded when it is sent again. Where they differ, by nature:
 * - In memory (one node) at most `maxEntries` markers are kept, the oldest dropped first: past
 *   that many receipts within ttlMs, a repeated one may be forwarded again (receipts are at least
 *   once; clients de-duplicate by messageId and state).
 * - On Redis a marker is a key with a TTL (SET NX PX), in the recipient's hash slot
 *   (`rg:rc:{u:<tag>}:…`), so Redis's maxmemory bounds them; it can be unreachable (the calls
 *   reject; the request answers UNAVAILABLE) and a failover or eviction can lose markers (a repeat
 *   is forwarded again).
 */
export interface ReceiptStore {
  /** True the first time `recipient` receipts `messageId` in `state` within ttlMs; false after. */
  claim(recipient: string, messageId: string, state: ReceiptState): Promise<boolean>;
  /** Forgets a claim (its receipt could not be forwarded). */
  release(recipient: string, messageId: string, state: ReceiptState): Promise<void>;
}

export const RECEIPT_STORE = Symbol('RECEIPT_STORE');

/** A marker's identity, unambiguous whatever the user id and message id hold (the id's length goes first). */
export const receiptKey = (recipient: string, messageId: string, state: ReceiptState): string => `${recipient.length}:${recipient}:${state}:${messageId}`;
