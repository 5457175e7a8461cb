import {
  ClientMessageType,
  ServerMessageType,
  type AuthRefreshAck,
  type DirectAck,
  type DirectMessageData,
  type HistoryPage,
  type JoinAck,
  type LeaveAck,
  type PresenceAck,
  type PresenceEventData,
  type PublishAck,
  type ReceiptAck,
  type ReceiptData,
  type RoomMessageData,
  type StreamPosition,
  type UserRecoverAck,
} from './protocol';
import { Backoff } from './backoff';
import { Emitter, rethrowLater } from './emitter';
import { ClientErrorCode, RealtimeError } from './errors';
import { Heartbeat } from './heartbeat';
import { Receipts, type ReceiptTarget } from './receipts';
import { RequestTracker } from './request-tracker';
import { rejoinRooms } from './room-recovery';
import { RetryingRequests } from './retrying-requests';
import { UserStream } from './user-stream';
import { RoomState, type RoomHandler } from './room-state';
import { SocketSession } from './socket-session';
import { TokenRefresher } from './token-refresher';
import { TokenSource } from './token-source';
import type {
  ConnectionState,
  HistoryOptions,
  RealtimeClientOptions,
  RealtimeEvents,
  Welcome,
  WebSocketConstructor,
} from './types';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

const disconnected = (message: string, closeCode?: number) =>
  new RealtimeError(ClientErrorCode.Disconnected, message, closeCode === undefined ? {} : { closeCode });

/**
 * A client of the realtime gateway: requests matched by id, auto-reconnect with backoff, room
 * re-join with recovery and de-duplication, app-level heartbeats, a dead-link watchdog, and
 * (with `getToken`) `auth.refresh` before the token expires.
 * Connection handling lives in `SocketSession`; this class is the API and the frame router.
 */
export class RealtimeClient {
  private readonly events = new Emitter<RealtimeEvents>();
  private readonly rooms = new RoomState();
  /** The re-joins and user.recover sent after each welcome. */
  private readonly recoveries = new RetryingRequests();
  private readonly userStream: UserStream;
  private readonly receipts = new Receipts(({ messageId, offset, epoch, state }) => this.request<ReceiptAck>(ClientMessageType.ReceiptSend, { messageId, offset, epoch, state }), this.events, this.recoveries);
  private readonly requests: RequestTracker;
  private readonly session: SocketSession;
  /** Only with `getToken`: a static token cannot be renewed. */
  private readonly refresher?: TokenRefresher;

  constructor(options: RealtimeClientOptions) {
    if (typeof options?.url !== 'string' || options.url === '') throw new TypeError('options.url is required');
    const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (typeof WebSocketImpl !== 'function') {
      throw new TypeError("no WebSocket implementation: pass options.WebSocket (on Node: import { WebSocket } from 'ws')");
    }
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(requestTimeoutMs > 0)) throw new RangeError('options.requestTimeoutMs must be a positive number');
    this.requests = new RequestTracker(requestTimeoutMs);
    this.userStream = new UserStream((message) => this.events.emit('direct', message), options.directSince);
    const tokens = new TokenSource(options.token, options.getToken);
    if (tokens.canRefresh) {
      this.refresher = new TokenRefresher({
        fetchToken: () => tokens.fresh(),
        sendRefresh: (token) => this.request<AuthRefreshAck>(ClientMessageType.AuthRefresh, { token }),
        onError: (error) => this.events.emit('error', error),
      });
    }
    this.session = new SocketSession({
      url: options.url,
      tokens,
      WebSocket: WebSocketImpl,
      connectTimeoutMs: requestTimeoutMs,
      backoff: new Backoff(options.backoff),
      events: this.events,
      heartbeat: (onDead) => new Heartbeat(() => this.request(ClientMessageType.Ping).catch(() => undefined), onDead),
      onFrame: (frame) => this.route(frame),
      onWelcome: (welcome) => {
        this.refresher?.start(welcome.tokenExpiresInMs);
        this.recoveries.cancel();
        rejoinRooms(this.rooms, (room, since) => this.request<JoinAck>(ClientMessageType.RoomJoin, since ? { room, since } : { room }), this.events, this.recoveries);
        this.recoverDirects(welcome);
        this.receipts.resume();
      },
      onSocketGone: (code) => {
        this.refresher?.stop();
        this.recoveries.cancel();
        this.requests.failAll((type) => disconnected(`the connection closed before the reply to ${type}`, code));
      },
    });
  }

  get state(): ConnectionState {
    return this.session.state;
  }

  /** The current connection's welcome; undefined while not open. */
  get welcome(): Welcome | undefined {
    return this.session.welcome;
  }

  /** Rooms the client is in (re-joined automatically after a reconnect). */
  /**
   * The position of the last direct message delivered (or announced by the last welcome): store it
   * to pass as `directSince` to a later client (after a page reload) to recover what it missed.
   */
  get directPosition(): StreamPosition | undefined {
    return this.userStream.position;
  }

  get joinedRooms(): string[] {
    return this.rooms.names();
  }

  /**
   * Opens the connection; resolves on the welcome frame. Failed attempts are retried with backoff
   * (the promise waits for the first welcome). Rejects with DISCONNECTED on close() or a close code
   * that must not be retried. While open, resolves at once with the current welcome.
   */
  connect(): Promise<Welcome> {
    return this.session.connect();
  }

  /** Closes for good: no reconnect, in-flight requests reject with DISCONNECTED, rooms are forgotten, no timer is left. */
  close(): void {
    this.refresher?.stop();
    this.recoveries.cancel();
    this.receipts.clear();
    this.session.close();
    this.requests.failAll((type) => disconnected(`closed by the app before the reply to ${type}`));
    this.rooms.clear();
  }

  on<K extends keyof RealtimeEvents>(event: K, listener: (payload: RealtimeEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  off<K extends keyof RealtimeEvents>(event: K, listener: (payload: RealtimeEvents[K]) => void): void {
    this.events.off(event, listener);
  }

  /**
   * Joins `room`; `handler` receives its messages (each once, in offset order) until leave().
   * Joining a joined room replaces the handler. The room is re-joined after every reconnect.
   */
  async join(room: string, handler: RoomHandler): Promise<JoinAck> {
    if (typeof handler !== 'function') throw new TypeError('join(room, handler): handler must be a function');
    if (!this.session.isOpen) throw disconnected(`not connected (${this.state}); join was not sent`);
    const isNew = this.rooms.add(room, handler);
    try {
      const ack = await this.request<JoinAck>(ClientMessageType.RoomJoin, { room });
      this.rooms.applyAck(room, ack);
      return ack;
    } catch (error) {
      if (isNew) this.rooms.remove(room);
      throw error;
    }
  }

  /** Leaves `room`: its handler stops at once. Resolves without a request when not connected (the server forgot the membership with the connection). */
  async leave(room: string): Promise<LeaveAck> {
    this.rooms.remove(room);
    if (!this.session.isOpen) return { room };
    try {
      return await this.request<LeaveAck>(ClientMessageType.RoomLeave, { room });
    } catch (error) {
      if (error instanceof RealtimeError && error.code === ClientErrorCode.Disconnected) return { room };
      throw error;
    }
  }

  publish(room: string, body: unknown): Promise<PublishAck> {
    return this.request<PublishAck>(ClientMessageType.RoomPublish, { room, body });
  }

  direct(to: string, body: unknown): Promise<DirectAck> {
    return this.request<DirectAck>(ClientMessageType.DirectSend, { to, body });
  }

  history(room: string, options: HistoryOptions = {}): Promise<HistoryPage> {
    const data: Record<string, unknown> = { room };
    if (options.limit !== undefined) data.limit = options.limit;
    if (options.before !== undefined) data.before = options.before;
    return this.request<HistoryPage>(ClientMessageType.RoomHistory, data);
  }

  presence(room: string): Promise<PresenceAck> {
    return this.request<PresenceAck>(ClientMessageType.PresenceGet, { room });
  }

  /**
   * Tells the sender of a direct message that the user read it (a `read` receipt; `delivered` ones
   * are sent by the client itself). Pass the `direct` event's message. Resolves with
   * `{messageId, state, forwarded}`; rejects with NOT_FOUND once the message left the user's stream.
   */
  markRead(message: ReceiptTarget): Promise<ReceiptAck> {
    return this.receipts.markRead(message);
  }

  /**
   * Sends any request type (e.g. an extension's) and resolves with its `ack` data. Rejects with
   * DISCONNECTED at once when not open: nothing is queued while disconnected.
   */
  request<T = unknown>(type: string, data?: Record<string, unknown>): Promise<T> {
    if (!this.session.isOpen) return Promise.reject(disconnected(`not connected (${this.state}); ${type} was not sent`));
    const { id, promise } = this.requests.start<T>(type);
    let text: string;
    try {
      text = JSON.stringify(data === undefined ? { type, id } : { type, id, data });
    } catch (error) {
      this.requests.fail(id, error instanceof Error ? error : new TypeError(String(error)));
      return promise;
    }
    const problem = this.session.send(text);
    if (problem) this.requests.fail(id, problem);
    return promise;
  }

  /** After a welcome: asks for the direct messages missed since the last one delivered (docs/protocol.md, section 10.1). */
  private recoverDirects(welcome: Welcome): void {
    const since = this.userStream.welcomed(welcome.userStream);
    if (!since) return;
    this.recoveries.run({
      send: () => this.request<UserRecoverAck>(ClientMessageType.UserRecover, { since }),
      wanted: () => true,
      done: (ack) => {
        this.userStream.recovered(ack);
        this.events.emit('directRecovery', { recovered: ack.recovered === true, offset: ack.offset, epoch: ack.epoch });
      },
      failed: (error) => {
        this.userStream.recovered();
        this.events.emit('error', new RealtimeError(error.code, `recovering direct messages failed: ${error.message}`, { details: error.details }));
      },
    });
  }

  private route(frame: { type: string; id?: string; data?: unknown }): void {
    switch (frame.type) {
      case ServerMessageType.Ack:
      case ServerMessageType.Pong:
        this.requests.settle(frame); // an unmatched reply is a late one (after TIMEOUT): dropped
        return;
      case ServerMessageType.Error:
        if (!this.requests.settle(frame) && frame.id === undefined) this.events.emit('error', RealtimeError.fromFrame(frame.data));
        return;
      case ServerMessageType.Message: {
        const message = frame.data as RoomMessageData;
        const handler = message && this.rooms.accept(message);
        if (!handler) return;
        try {
          handler(message);
        } catch (error) {
          rethrowLater(error);
        }
        return;
      }
      case ServerMessageType.Direct:
        if (frame.data) this.userStream.receive(frame.data as DirectMessageData);
        return;
      case ServerMessageType.Receipt:
        this.events.emit('receipt', frame.data as ReceiptData);
        return;
      case ServerMessageType.PresenceJoin:
      case ServerMessageType.PresenceLeave: {
        const kind = frame.type === ServerMessageType.PresenceJoin ? 'join' : 'leave';
        this.events.emit('presence', { kind, ...(frame.data as PresenceEventData) });
        return;
      }
      default:
        this.events.emit('event', { type: frame.type, data: frame.data });
    }
  }
}
