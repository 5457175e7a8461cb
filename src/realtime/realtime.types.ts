import type { HistoryPage, PresenceMember, PublishAck } from '../protocol';

/** A stored room message: its id, time, and its position in the room's stream. */
export type PublishReceipt = PublishAck;

export interface DeliveryReceipt {
  messageId: string;
  /** Sessions, on every node, the frame was sent to (see each method). */
  delivered: number;
}

export interface DisconnectReceipt {
  /** Sessions that were open and are now closing (sessions already closing are not counted). */
  closed: number;
}

export interface HistoryQuery {
  /** 0-100 of the newest messages; default 50. */
  limit?: number;
  /** Only messages with a smaller offset: page backwards with the first offset of a page. */
  before?: number;
}

/** Up to `limit` messages, ascending, with the room's current position (`offset` 0: no message yet). */
export type RoomHistory = HistoryPage;

export type RoomMember = PresenceMember;
