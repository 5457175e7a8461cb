import { Injectable } from '@nestjs/common';
import { ClientMessageType, ErrorCode, ReceiptAck } from '../../protocol';
import { Session } from '../../registry/session';
import { ReceiptSendDto } from '../dto/receipt-send.dto';
import { MessageHandler } from '../message-handler.decorator';
import { ReceiptsService } from '../receipts.service';

@Injectable()
export class ReceiptHandler {
  constructor(private readonly receipts: ReceiptsService) {}

  @MessageHandler(ClientMessageType.ReceiptSend, ReceiptSendDto, { errors: [ErrorCode.NotFound, ErrorCode.Unavailable] })
  send(session: Session, dto: ReceiptSendDto): Promise<ReceiptAck> {
    return this.receipts.send(session.userId, dto);
  }
}
