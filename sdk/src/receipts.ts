import { Backoff, type BackoffOptions } from './backoff';
import type { Emitter } from './emitter';
import { ClientErrorCode, RealtimeError, type RealtimeErrorCode } from './errors';
import type { DirectMessageData, ReceiptAck, ReceiptSendRequest } from './protocol';
import type { RealtimeEvents } from './types';

/** What names a direct message in a receipt: these fields of its `direct` frame (pass the frame). */
export type ReceiptTarget = Pick<DirectMessageData, 'messageId' | 'offset' | 'epoch'>;

/** "Not now" rather than "no" (see room-recovery.ts): retried with backoff. */
const TRANSIENT: ReadonlySet<RealtimeErrorCode> = new Set(['UNAVAILABLE', 'RATE_LIMITED', ClientErrorCode.Timeout]);
/** Retries of one automatic receipt refused for now: about 10 s with RECEIPT_BACKOFF. */
export const RECEIPT_RETRIES = 5;
export const RECEIPT_BACKOFF: Required<BackoffOptions> = { minMs: 250, maxMs: 4000 };
/** Message ids remembered as receipted `delivered`, so that each is sent once (the newest are kept). */
export const MAX_REMEMBERED_RECEIPTS = 10_000;

const isTarget = (message: Partial<ReceiptTarget> | undefined): message is ReceiptTarget =>
  typeof message?.messageId === 'string' && typeof message.offset === 'number' && typeof message.epoch === 'string';

/**
 * Receipts (docs/protocol.md, 3.11). Every `direct` the client emits is receipted `delivered`, once
 * per messageId (a message from a server without user streams, which has no offset, is not). Until
 * acked, such a receipt is kept: a refusal for now is retried with backoff, one cut by a disconnect
 * is sent again after the next welcome; any other refusal (NOT_FOUND: the message left the stream)
 * is given up and reported as an 'error' event. `read` is the app's call (markRead), sent once,
 * never retried, like any request.
 */
export class Receipts {
  private readonly remembered = new Set<string>();
  /** Automatic `delivered` receipts not acked yet, by messageId. */
  private readonly unacked = new Map<string, ReceiptTarget>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly request: (receipt: ReceiptSendRequest) => Promise<ReceiptAck>,
    private readonly events: Emitter<RealtimeEvents>,
  ) {
    events.on('direct', (message) => this.delivered(message));
  }

  markRead(message: ReceiptTarget): Promise<ReceiptAck> {
    if (!isTarget(message)) return Promise.reject(new TypeError('markRead(message): pass the direct message (it needs messageId, offset and epoch)'));
    return this.request({ messageId: message.messageId, offset: message.offset, epoch: message.epoch, state: 'read' });
  }

  /** After every welcome: sends again what a lost connection left unacked. */
  resume(): void {
    for (const target of this.unacked.values()) this.send(target, new Backoff(RECEIPT_BACKOFF));
  }

  /** The socket is gone: retries wait for the next welcome (their requests failed with the socket). */
  pause(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** close(): forgets everything. */
  clear(): void {
    this.pause();
    this.unacked.clear();
    this.remembered.clear();
  }

  private delivered(message: DirectMessageData): void {
    if (!isTarget(message) || this.remembered.has(message.messageId)) return;
    this.remembered.add(message.messageId);
    if (this.remembered.size > MAX_REMEMBERED_RECEIPTS) this.remembered.delete(this.remembered.values().next().value as string);
    const target = { messageId: message.messageId, offset: message.offset, epoch: message.epoch };
    this.unacked.set(target.messageId, target);
    this.send(target, new Backoff(RECEIPT_BACKOFF));
  }

  private send(target: ReceiptTarget, backoff: Backoff): void {
    this.request({ ...target, state: 'delivered' }).then(
      () => this.unacked.delete(target.messageId),
      (error: RealtimeError) => {
        if (!this.unacked.has(target.messageId) || error.code === ClientErrorCode.Disconnected) return; // cleared, or for the next welcome
        if (TRANSIENT.has(error.code) && backoff.attempts < RECEIPT_RETRIES) return this.retryLater(target, backoff);
        this.unacked.delete(target.messageId);
        this.events.emit('error', new RealtimeError(error.code, `the delivered receipt of ${target.messageId} failed: ${error.message}`, { details: error.details }));
      },
    );
  }

  private retryLater(target: ReceiptTarget, backoff: Backoff): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.unacked.has(target.messageId)) this.send(target, backoff);
    }, backoff.next());
    this.timers.add(timer);
  }
}
