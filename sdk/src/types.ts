import type { DirectMessageData, PresenceEventData, ReceiptData, StreamPosition, WelcomeData } from './protocol';
import type { BackoffOptions } from './backoff';
import type { RealtimeError } from './errors';

/**
 * The part of a WebSocket the client uses: the browser's `WebSocket` and the `WebSocket` class of
 * the `ws` package both fit. Handlers are assigned as `on*` properties, which both support.
 */
export interface WebSocketLike {
  readonly readyState: number;
  /* eslint-disable @typescript-eslint/no-explicit-any -- event shapes differ between implementations */
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  /* eslint-enable @typescript-eslint/no-explicit-any */
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: destroys the TCP socket at once. */
  terminate?(): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface RealtimeClientOptions {
  /** The endpoint, for example `wss://rt.example.com/ws`. */
  url: string;
  /** A JWT, sent as the `token` query parameter (browsers cannot set headers on a WebSocket). */
  token?: string;
  /**
   * Returns a fresh token. Called before the first connection when `token` is not given, after a
   * close with 4001 (token expired), after a connection attempt that never opened (the server
   * may have refused an expired token with 401, which browsers do not expose), and at 80 % of an
   * open connection's token life: the new token is sent with `auth.refresh`, so the connection
   * outlives its first token. It must be for the same user and grant the same rooms.
   */
  getToken?: () => string | Promise<string>;
  /** The WebSocket class. Default `globalThis.WebSocket`; on Node pass `WebSocket` from `ws`. */
  WebSocket?: WebSocketConstructor;
  /** How long a request waits for its reply, and a connection attempt for its welcome. Default 10000. */
  requestTimeoutMs?: number;
  /** Reconnect delays (see `Backoff`). Default `{ minMs: 500, maxMs: 20000 }`. */
  backoff?: BackoffOptions;
  /**
   * The `directPosition` of an earlier client of this user on this device (kept across a page
   * reload): the first welcome then recovers the direct messages sent since. Without it, the
   * client starts from its first welcome's position.
   */
  directSince?: StreamPosition;
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export type Welcome = WelcomeData;

export interface PresenceEvent extends PresenceEventData {
  kind: 'join' | 'leave';
}

/** The outcome of an automatic re-join after a reconnect. */
export interface RecoveryEvent extends StreamPosition {
  room: string;
  /**
   * true: every message after the last one seen was replayed (and delivered to the room handler,
   * without duplicates) before this event. false: nothing was replayed; messages may have been
   * missed, and the room continues from `offset`/`epoch`: resync, e.g. with `history()`.
   */
  recovered: boolean;
}

/** The outcome of the automatic recovery of direct messages after a reconnect. */
export interface DirectRecoveryEvent extends StreamPosition {
  /**
   * true: every direct message after the last one delivered was replayed (and emitted as `direct`,
   * without duplicates) before this event. false: nothing was replayed; some may have been missed
   * (sent longer ago than the server's USER_HISTORY_TTL_MS, or more than USER_HISTORY_SIZE, or
   * the server lost the stream): resync the conversation view from your backend.
   */
  recovered: boolean;
}

export interface CloseEvent {
  code: number;
  reason: string;
  willReconnect: boolean;
}

/** A server-initiated frame of a type the SDK does not know (e.g. an extension's `typing`). */
export interface UnknownEvent {
  type: string;
  data: unknown;
}

export interface RealtimeEvents {
  state: ConnectionState;
  welcome: Welcome;
  /** Each `direct` is also receipted `delivered` to its sender by the client, once per messageId. */
  direct: DirectMessageData;
  /** A recipient received (`delivered`) or read (`read`) a direct message this user sent. */
  receipt: ReceiptData;
  presence: PresenceEvent;
  recovery: RecoveryEvent;
  directRecovery: DirectRecoveryEvent;
  /** Errors not tied to a request: id-less error frames, bad frames, failed re-joins or direct recoveries, getToken failures. */
  error: RealtimeError;
  close: CloseEvent;
  event: UnknownEvent;
}

export interface HistoryOptions {
  /** 1-100; the server's default is 50. */
  limit?: number;
  /** Only messages with a smaller offset (page backwards with the first offset of the last page). */
  before?: number;
}
