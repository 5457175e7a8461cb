import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';

export const REALTIME_GATEWAY = 'realtime:gateway';

/**
 * Marks a provider whose `@SubscribeMessage(type)` methods (the decorators of @nestjs/websockets)
 * handle message types on the one endpoint, WS_PATH, like @MessageHandler methods: the
 * `@MessageBody()` parameter's class validates `data` (unknown properties refused), rate limits
 * apply, `@ConnectedSocket()` is the caller's SessionInfo, and the return value or the error
 * thrown is answered with an `ack` or `error` frame. Use it instead of Nest's @WebSocketGateway,
 * which would ask for a WebSocket adapter and a server of its own.
 */
export const WebSocketGateway = (): ClassDecorator => applyDecorators(Injectable(), SetMetadata(REALTIME_GATEWAY, true));
