import type { Emitter } from './emitter';
import { RealtimeError } from './errors';
import type { DirectMessageData, ReceiptAck, ReceiptSendRequest } from './protocol';
import type { RetryingRequests } from './retrying-requests';
import type { RealtimeEvents } from './types';

/** What names a direct message in a receipt: these fields of its `direct` frame (pass the frame). */
export type ReceiptTarget = Pick<DirectMessageData, 'messageId' | 'offset' | 'epoch'>;

const isTarget = (message: Partial<ReceiptTarget> | undefined): message is ReceiptTarget =>
  typeof message?.messageId === 'string' && typeof message.offset === 'number' && typeof message.epoch === 'string';

/**
 * Receipts (docs/protocol.md, 3.12). Every `direct` the client emits is receipted `delivered`: each
 * once, as the user stream emits each message once (UserStream); a message from a server without
 * user streams, which has no offset, is not. Until
 * acked, such a receipt is kept and sent like the SDK's other automatic requests (RetryingRequests):
 * a refusal for now is retried with backoff, one cut by a disconnect is sent again after the next
 * welcome; any other refusal (NOT_FOUND: the message left the stream) is given up and reported as
 * an 'error' event. `read` is the app's call (markRead), sent once, never retried, like any request.
 */
export class Receipts {
  /** Automatic `delivered` receipts not acked yet, by messageId. */
  private readonly unacked = new Map<string, ReceiptTarget>();

  constructor(
    private readonly request: (receipt: ReceiptSendRequest) => Promise<ReceiptAck>,
    private readonly events: Emitter<RealtimeEvents>,
    private readonly requests: RetryingRequests,
  ) {
    events.on('direct', (message) => this.delivered(message));
  }

  markRead(message: ReceiptTarget): Promise<ReceiptAck> {
    if (!isTarget(message)) return Promise.reject(new TypeError('markRead(message): pass the direct message (it needs messageId, offset and epoch)'));
    return this.request({ messageId: message.messageId, offset: message.offset, epoch: message.epoch, state: 'read' });
  }

  /** After every welcome: sends again what a lost connection left unacked. */
  resume(): void {
    for (const target of this.unacked.values()) this.send(target);
  }

  /** close(): forgets everything. */
  clear(): void {
    this.unacked.clear();
  }

  private delivered(message: DirectMessageData): void {
    if (!isTarget(message)) return;
    const target = { messageId: message.messageId, offset: message.offset, epoch: message.epoch };
    this.unacked.set(target.messageId, target);
    this.send(target);
  }

  private send(target: ReceiptTarget): void {
    this.requests.run({
      send: () => this.request({ ...target, state: 'delivered' }),
      wanted: () => this.unacked.has(target.messageId),
      done: () => this.unacked.delete(target.messageId),
      failed: (error) => {
        this.unacked.delete(target.messageId);
        this.events.emit('error', new RealtimeError(error.code, `the delivered receipt of ${target.messageId} failed: ${error.message}`, { details: error.details }));
      },
    });
  }
}
