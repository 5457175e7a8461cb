import { Injectable } from '@nestjs/common';
import { ClientMessageType, ServerMessageType } from '../../protocol';
import { EmptyDto } from '../dto/empty.dto';
import { MessageHandler } from '../message-handler.decorator';

/** Application-level ping for clients that cannot see WebSocket pings (browsers). */
@Injectable()
export class PingHandler {
  @MessageHandler(ClientMessageType.Ping, EmptyDto, { replyType: ServerMessageType.Pong })
  ping(): void {}
}
