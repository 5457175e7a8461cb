import { ServerMessageType, type ServerEnvelope, type WelcomeData } from './protocol';
import type { Backoff } from './backoff';
import type { Emitter } from './emitter';
import { ClientErrorCode, RealtimeError } from './errors';
import type { Heartbeat } from './heartbeat';
import { decideAfterClose } from './reconnect-policy';
import { attach, CLIENT_TIMEOUT_CLOSE_CODE, closeQuietly, detach, kill, OPEN } from './socket-binding';
import type { TokenSource } from './token-source';
import type { ConnectionState, RealtimeEvents, Welcome, WebSocketConstructor, WebSocketLike } from './types';
import { connectionUrl, fitsInBytes } from './url';

export interface SocketSessionOptions {
  url: string;
  tokens: TokenSource;
  WebSocket: WebSocketConstructor;
  /** How long an attempt may take from creating the socket to the welcome. */
  connectTimeoutMs: number;
  backoff: Backoff;
  events: Emitter<RealtimeEvents>;
  heartbeat: (onDead: () => void) => Heartbeat;
  /** Every parsed frame except `welcome`. */
  onFrame: (frame: ServerEnvelope & { type: string }) => void;
  /** After a welcome made the session open. */
  onWelcome: (welcome: Welcome) => void;
  /** After a socket is gone (before 'close' is emitted); not called by close(). */
  onSocketGone: (code: number) => void;
}

/**
 * The connection lifecycle: one socket at a time, the welcome, the state, tokens, the close-code
 * policy, backoff between attempts and the heartbeat. Every timer it starts is cleared by close().
 */
export class SocketSession {
  private stateValue: ConnectionState = 'closed';
  private socket?: WebSocketLike;
  private opened = false;
  private welcomeData?: Welcome;
  /** Bumped by connect() and close(): async work of an older generation stops. */
  private generation = 0;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private connectTimer?: ReturnType<typeof setTimeout>;
  private waiters: { resolve: (welcome: Welcome) => void; reject: (error: RealtimeError) => void }[] = [];
  private readonly heartbeat: Heartbeat;

  constructor(private readonly options: SocketSessionOptions) {
    this.heartbeat = options.heartbeat(() => this.abandon(CLIENT_TIMEOUT_CLOSE_CODE, 'heartbeat timeout'));
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get isOpen(): boolean {
    return this.stateValue === 'open';
  }

  get welcome(): Welcome | undefined {
    return this.welcomeData;
  }

  connect(): Promise<Welcome> {
    if (this.stateValue === 'open' && this.welcomeData) return Promise.resolve(this.welcomeData);
    const promise = new Promise<Welcome>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.stateValue === 'closed') {
      const generation = ++this.generation;
      this.setState('connecting');
      void this.attempt(generation);
    }
    return promise;
  }

  close(): void {
    this.generation++;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.release();
    if (socket) closeQuietly(socket, 1000, 'client closed');
    this.rejectWaiters(new RealtimeError(ClientErrorCode.Disconnected, 'closed by the app'));
    if (socket) this.options.events.emit('close', { code: 1000, reason: 'client closed', willReconnect: false });
    this.setState('closed');
  }

  /** Sends a text frame; returns the error to reject its request with, if it could not be sent. */
  send(text: string): RealtimeError | undefined {
    const max = this.welcomeData?.maxPayloadBytes;
    if (max && !fitsInBytes(text, max)) {
      return new RealtimeError(ClientErrorCode.PayloadTooLarge, `the frame is larger than the server's ${max} bytes; it was not sent`);
    }
    try {
      if (!this.socket || this.socket.readyState !== OPEN) throw new Error('not open');
      this.socket.send(text);
      return undefined;
    } catch {
      return new RealtimeError(ClientErrorCode.Disconnected, 'the socket is not open; the frame was not sent');
    }
  }

  private async attempt(generation: number): Promise<void> {
    let token: string | undefined;
    try {
      token = await this.options.tokens.current();
    } catch (error) {
      if (generation !== this.generation) return;
      this.options.events.emit('error', error as RealtimeError);
      if (generation === this.generation) this.scheduleReconnect(generation);
      return;
    }
    if (generation !== this.generation) return;
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(connectionUrl(this.options.url, token));
    } catch (error) {
      // A bad URL: retrying cannot help.
      this.options.events.emit('error', new RealtimeError(ClientErrorCode.BadUrl, `cannot open ${this.options.url}: ${(error as Error)?.message ?? error}`));
      if (generation !== this.generation) return;
      this.rejectWaiters(new RealtimeError(ClientErrorCode.Disconnected, 'the WebSocket could not be created'));
      this.setState('closed');
      return;
    }
    this.socket = socket;
    this.opened = false;
    const current = () => this.socket === socket; // events of a released socket are ignored
    attach(socket, {
      onOpen: () => {
        if (current()) this.opened = true;
      },
      onMessage: (data) => {
        if (current()) this.receive(data);
      },
      onClose: (code, reason) => {
        if (current()) this.gone(code, reason);
      },
    });
    this.connectTimer = setTimeout(() => this.abandon(this.opened ? CLIENT_TIMEOUT_CLOSE_CODE : 1006, 'connect timeout'), this.options.connectTimeoutMs);
  }

  private receive(raw: unknown): void {
    this.heartbeat.touch();
    let frame: ServerEnvelope | undefined;
    try {
      frame = typeof raw === 'string' ? (JSON.parse(raw) as ServerEnvelope) : undefined;
    } catch {
      frame = undefined;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') {
      this.options.events.emit('error', new RealtimeError(ClientErrorCode.BadFrame, 'the server sent a frame that is not a JSON envelope'));
      return;
    }
    if (frame.type === ServerMessageType.Welcome) this.welcomed(frame.data as WelcomeData);
    else this.options.onFrame(frame as ServerEnvelope & { type: string });
  }

  private welcomed(welcome: WelcomeData): void {
    if (this.welcomeData || !welcome) return; // one welcome per connection
    const { generation, socket } = this;
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.welcomeData = welcome;
    this.options.backoff.reset();
    this.heartbeat.start(welcome.heartbeatIntervalMs, welcome.heartbeatTimeoutMs);
    const stillCurrent = () => generation === this.generation && socket === this.socket;
    this.setState('open');
    if (!stillCurrent()) return;
    this.options.events.emit('welcome', welcome);
    if (!stillCurrent()) return;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(welcome);
    this.options.onWelcome(welcome);
  }

  /** Gives up on the current socket (silent, or no welcome in time) and handles it as closed with `code`. */
  private abandon(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.gone(code, reason);
    kill(socket, reason);
  }

  private gone(code: number, reason: string): void {
    const opened = this.opened;
    const generation = this.generation;
    this.release();
    this.options.onSocketGone(code);
    const decision = decideAfterClose({ code, opened, canRefreshToken: this.options.tokens.canRefresh });
    if (decision.refreshToken) this.options.tokens.invalidate();
    this.options.events.emit('close', { code, reason, willReconnect: decision.reconnect });
    if (generation !== this.generation) return; // a listener called close() or connect()
    if (decision.reconnect) {
      this.setState('reconnecting');
      if (generation === this.generation) this.scheduleReconnect(generation);
    } else {
      this.rejectWaiters(new RealtimeError(ClientErrorCode.Disconnected, `the connection closed with ${code}${reason ? ` (${reason})` : ''}`, { closeCode: code }));
      this.setState('closed');
    }
  }

  private scheduleReconnect(generation: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.attempt(generation);
    }, this.options.backoff.next());
  }

  /** Detaches the current socket and stops its timers; returns it. */
  private release(): WebSocketLike | undefined {
    const socket = this.socket;
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.heartbeat.stop();
    this.socket = undefined;
    this.opened = false;
    this.welcomeData = undefined;
    if (socket) detach(socket);
    return socket;
  }

  private rejectWaiters(error: RealtimeError): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private setState(state: ConnectionState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.options.events.emit('state', state);
  }
}
