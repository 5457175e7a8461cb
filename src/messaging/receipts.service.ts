import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUS, Bus } from '../bus/bus';
import { RECEIPT_STORE, ReceiptStore } from '../history/receipt-store';
import { USER_STREAM_STORE, UserStreamStore } from '../history/user-streams';
import { encodeFrame, ErrorCode, ReceiptAck, ReceiptData, ReceiptSendRequest, ServerMessageType, SYSTEM_SENDER } from '../protocol';
import { MessageError } from './message-error';
import { fromStore } from './store-access';

/**
 * Receipts (docs/protocol.md, 3.12): a recipient tells the sender of a direct message that its
 * client received it (`delivered`) or that the user read it (`read`). Only the recipient can: the
 * message is looked up in the sender of the receipt's own stream, by position, and must carry the
 * messageId named, so it exists, was addressed to this user, and its `from` says whom to tell.
 * Forwarded once per recipient, message and state (ReceiptStore), to every session of the sender
 * on every node (Bus.toUser), live only.
 */
@Injectable()
export class ReceiptsService {
  private readonly logger = new Logger(ReceiptsService.name);

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(USER_STREAM_STORE) private readonly streams: UserStreamStore,
    @Inject(RECEIPT_STORE) private readonly receipts: ReceiptStore,
  ) {}

  async send(recipient: string, { messageId, offset, epoch, state }: ReceiptSendRequest): Promise<ReceiptAck> {
    const message = await fromStore(() => this.streams.at(recipient, { offset, epoch }));
    // Unknown, expired or trimmed, another epoch, or another message at that offset (a message of
    // another user's stream, say): all one answer, so it tells nothing about other users' streams.
    if (!message || message.messageId !== messageId) throw new MessageError(ErrorCode.NotFound, 'no such message in your stream (unknown, expired, or not addressed to you)');
    const ack = { messageId, state, forwarded: false };
    // The admin API has no session to tell.
    if (message.from === SYSTEM_SENDER) return ack;
    if (!(await fromStore(() => this.receipts.claim(recipient, messageId, state)))) return ack;
    const receipt: ReceiptData = { messageId, userId: recipient, state, ts: Date.now() };
    await fromStore(() => this.forward(message.from, receipt));
    return { ...ack, forwarded: true };
  }

  /** A receipt the bus refused is released, so that the client's retry forwards it. */
  private async forward(sender: string, receipt: ReceiptData): Promise<void> {
    try {
      await this.bus.toUser(sender, encodeFrame({ type: ServerMessageType.Receipt, data: receipt }));
    } catch (err) {
      await this.receipts.release(receipt.userId, receipt.messageId, receipt.state).catch((releaseErr: unknown) => {
        // The marker stays until it expires: a retry is answered forwarded: false, and this receipt is lost.
        this.logger.warn({ err: releaseErr, messageId: receipt.messageId, state: receipt.state }, 'receipt not forwarded and its marker not released');
      });
      throw err;
    }
  }
}
