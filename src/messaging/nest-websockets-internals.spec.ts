import 'reflect-metadata';
import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { messageBodyParameter, subscribedMessageType, WS_PARAMS_METADATA, wsParamsFactory } from './nest-websockets-internals';

class ChatDto {
  text!: string;
}

/** A gateway written as Nest's docs show: what its decorators record is what the adapter reads. */
class Gateway {
  @SubscribeMessage('chat.send')
  send(@ConnectedSocket() client: unknown, @MessageBody() dto: ChatDto) {
    return { client, dto };
  }

  @SubscribeMessage('chat.pick')
  pick(@MessageBody('text') text: string) {
    return text;
  }

  plain() {
    return undefined;
  }
}

describe('nest-websockets-internals (checked against @nestjs/websockets 12.1.1)', () => {
  it('reads the message type of a @SubscribeMessage method, and none of a plain method', () => {
    expect(subscribedMessageType(Gateway.prototype.send)).toBe('chat.send');
    expect(subscribedMessageType(Gateway.prototype.plain)).toBeUndefined();
  });

  it('finds the @MessageBody() parameter and the property it picks', () => {
    expect(messageBodyParameter(Gateway, 'send')).toEqual({ index: 1, property: undefined });
    expect(messageBodyParameter(Gateway, 'pick')).toEqual({ index: 0, property: 'text' });
    expect(messageBodyParameter(Gateway, 'plain')).toBeUndefined();
  });

  it('maps (client, payload) to the decorated parameters as Nest does', () => {
    const params = Reflect.getMetadata(WS_PARAMS_METADATA, Gateway, 'send') as Record<string, { index: number; data?: unknown }>;
    const byIndex = Object.entries(params).map(([key, { index, data }]) => ({ index, value: wsParamsFactory.exchangeKeyForValue(Number(key.split(':')[0]), data as never, ['session', { text: 'hi' }]) }));
    expect(byIndex.sort((a, b) => a.index - b.index).map((p) => p.value)).toEqual(['session', { text: 'hi' }]);
  });
});
