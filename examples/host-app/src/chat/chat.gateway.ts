import { ConnectedSocket, MessageBody, SessionInfo, SubscribeMessage, WebSocketGateway } from 'realtime-gateway';
import { ChatSendDto } from './chat-send.dto';

/**
 * A message type of this application on realtime-gateway's endpoint: `{"type":"chat.send","id":"1","data":{"text":"hi"}}`
 * is validated against ChatSendDto and answered with an `ack` carrying what this method returns.
 */
@WebSocketGateway()
export class ChatGateway {
  @SubscribeMessage('chat.send')
  send(@MessageBody() dto: ChatSendDto, @ConnectedSocket() client: SessionInfo): { tenant: unknown; userId: string; echoed: string } {
    // `tenant` is a custom claim of this application's tokens: the verified JWT payload is on the session.
    return { tenant: client.claims.tenant ?? null, userId: client.userId, echoed: dto.text };
  }
}
