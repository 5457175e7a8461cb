/**
 * realtime-gateway as a library (docs/library.md). Semver applies to exactly what this file
 * exports; everything else in the package is internal and may change in any release.
 */
export { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
export { ConfigError } from './config';
export { LifecycleEventsService } from './lifecycle/lifecycle-events.service';
export type { EventOrigin, LifecycleListener, LifecycleSession } from './lifecycle/lifecycle-events.service';
export { RealtimeModule } from './library/realtime.module';
export type {
  EnvironmentOptions,
  RealtimeFeatures,
  RealtimeModuleAsyncOptions,
  RealtimeModuleOptions,
  RealtimeOptions,
  RoomAuthorizationOptions,
} from './library/realtime-options';
export { MessageError } from './messaging/message-error';
export { MessageHandler } from './messaging/message-handler.decorator';
export { WebSocketGateway } from './messaging/websocket-gateway.decorator';
export { CloseCode, ErrorCode } from './protocol';
export type { ErrorDetail } from './protocol';
export { RealtimeError } from './realtime/realtime-error';
export type { RealtimeErrorCode } from './realtime/realtime-error';
export { RealtimeService } from './realtime/realtime.service';
export type { DeliveryReceipt, DisconnectReceipt, HistoryQuery, PublishReceipt, RoomHistory, RoomMember } from './realtime/realtime.types';
export type { SessionInfo } from './registry/session-info';
export type { RoomAuthorizer } from './rooms/room-authorizer';
