export { RealtimeClient } from './realtime-client';
export { RealtimeError, ClientErrorCode } from './errors';
export type { RealtimeErrorCode, RealtimeErrorExtra } from './errors';
export { Backoff, DEFAULT_BACKOFF } from './backoff';
export type { BackoffOptions } from './backoff';
export { decideAfterClose } from './reconnect-policy';
export type { CloseDecision, CloseFacts } from './reconnect-policy';
export type { RoomHandler } from './room-state';
export type { ReceiptTarget } from './receipts';
export { CLIENT_TIMEOUT_CLOSE_CODE } from './socket-binding';
export type {
  CloseEvent,
  ConnectionState,
  DirectRecoveryEvent,
  HistoryOptions,
  PresenceEvent,
  RealtimeClientOptions,
  RealtimeEvents,
  RecoveryEvent,
  UnknownEvent,
  WebSocketConstructor,
  WebSocketLike,
  Welcome,
} from './types';

// The wire protocol, from the server's single source of truth (src/protocol, see ./protocol.ts).
export {
  ClientMessageType,
  CloseCode,
  ErrorCode,
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
  ROOM_NAME_PATTERN,
  ReceiptState,
  SYSTEM_SENDER,
  ServerMessageType,
  shouldReconnect,
} from './protocol';
export type {
  AuthRefreshAck,
  ClientEnvelope,
  DirectAck,
  DirectMessageData,
  ErrorData,
  ErrorDetail,
  HistoryPage,
  JoinAck,
  LeaveAck,
  PresenceAck,
  PresenceEventData,
  PresenceMember,
  PublishAck,
  ReceiptAck,
  ReceiptData,
  ReceiptSendRequest,
  RoomHistoryRequest,
  RoomJoinRequest,
  RoomMessageData,
  ServerEnvelope,
  StreamPosition,
  UserRecoverAck,
  WelcomeData,
} from './protocol';
