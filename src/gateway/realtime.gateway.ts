import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { WebSocket } from 'ws';
import { RoomPermissions } from '../auth/room-permissions';
import { msUntilExp } from '../auth/token-expiry.service';
import { APP_CONFIG, AppConfig } from '../config';
import { BusDeliveryService } from '../delivery/bus-delivery.service';
import { OutboundService } from '../delivery/outbound.service';
import { UserStreamService } from '../delivery/user-stream.service';
import { LifecycleEventsService } from '../lifecycle/lifecycle-events.service';
import { LogLimiter } from '../logging/log-limiter';
import { PresenceService } from '../presence/presence.service';
import { USER_RATE_LIMITER, UserRateLimiter } from '../ratelimit/user-rate-limiter';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { CloseCode, ServerMessageType, StreamPosition, WelcomeData } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { TokenBucket } from '../registry/token-bucket';
import { FramePipelineService } from './frame-pipeline.service';
import { identityOf } from './realtime-ws.adapter';
import { remoteAddress } from './upgrade-request';

const SESSION = Symbol('session');
type SessionSocket = WebSocket & { [SESSION]: Session };

/**
 * Connection lifecycle: a verified upgrade (WebSocketEndpointService) becomes a Session in the
 * registry with a welcome frame; its close removes it everywhere and tells its rooms. The socket
 * listeners are shared functions (the session hangs off the socket), so a connection costs no closures.
 */
@Injectable()
export class RealtimeGateway {
  private readonly onMessage: (this: WebSocket, data: Buffer, isBinary: boolean) => void;
  private readonly onError: (this: WebSocket, err: Error) => void;
  private readonly onClose: (this: WebSocket, code: number) => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistryService,
    pipeline: FramePipelineService,
    private readonly outbound: OutboundService,
    private readonly delivery: BusDeliveryService,
    private readonly userStreams: UserStreamService,
    private readonly presence: PresenceService,
    private readonly lifecycle: LifecycleEventsService,
    private readonly metrics: GatewayMetrics,
    @Inject(USER_RATE_LIMITER) private readonly userRateLimiter: UserRateLimiter,
    limiter: LogLimiter,
    @InjectPinoLogger(RealtimeGateway.name) private readonly logger: PinoLogger,
  ) {
    // ws calls listeners with `this` bound to the socket; these three are created once.
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- `this` in them is the socket
    const gateway = this;
    this.onMessage = function (data, isBinary) {
      const session = sessionOf(this);
      // Once the server closes (4009, 4008, ...), what the peer still sends is dropped unparsed:
      // a flooder's backlog must not cost a JSON.parse per frame after its close.
      if (session.closing) return;
      if (isBinary) return outbound.close(session, CloseCode.UnsupportedData, 'binary frames are not supported');
      pipeline.handle(session, data);
    };
    this.onError = function (err) {
      // ws reports protocol violations (oversized or invalid frames) here, then closes the socket.
      const session = sessionOf(this);
      const suppressed = limiter.admit(session);
      if (suppressed !== undefined) logger.warn({ sessionId: session.id, err: err.message, suppressed }, 'socket error');
    };
    this.onClose = function (code) {
      gateway.disconnected(sessionOf(this), code);
    };
  }

  handleConnection(socket: WebSocket, req: IncomingMessage): void {
    const identity = identityOf(req);
    const now = Date.now();
    const session = new Session(
      randomUUID(),
      identity.userId,
      socket,
      RoomPermissions.of(identity.rooms),
      new TokenBucket(this.config.rateLimitPerSec, this.config.rateLimitBurst, now),
      remoteAddress(req, this.config.trustProxy),
      identity.exp,
      now,
    );
    session.tokenId = identity.jti;
    session.claims = identity.claims;
    session.userRateLimit = this.userRateLimiter.acquire(session.userId);
    (socket as SessionSocket)[SESSION] = session;
    // The TCP socket ws reads from: any byte read from it proves the peer alive. The heartbeat reads
    // its byte count when it checks, so no listener runs per read (see HeartbeatService.heard).
    session.peer = req.socket;
    session.readMark = req.socket.bytesRead;
    // The user's live stream frames are held until the welcome announces the stream's position.
    this.userStreams.hold(session);
    this.registry.add(session);
    this.presence.sessionOpened(session);
    socket.on('message', this.onMessage);
    socket.on('error', this.onError);
    // `on`, not `once`: ws emits 'close' once, and `once` would cost a bound wrapper and its state per connection.
    socket.on('close', this.onClose);
    this.logger.info({ sessionId: session.id, userId: session.userId, remoteAddress: session.remoteAddress }, 'connection opened');
    this.lifecycle.connectionOpened(session);
    const welcome: WelcomeData = {
      sessionId: session.id,
      userId: session.userId,
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
      heartbeatTimeoutMs: this.config.heartbeatTimeoutMs,
      maxPayloadBytes: this.config.maxPayloadBytes,
      tokenExp: session.tokenExp,
      tokenExpiresInMs: msUntilExp(session.tokenExp),
    };
    // In a cluster the node subscribes to the user's direct channel when the user's first session
    // here opens: the welcome waits for it, so a direct message sent once a client is welcomed
    // reaches it. If Redis cannot subscribe now, the welcome goes anyway (rooms answer UNAVAILABLE
    // until it is back, and the bus subscribes again then). Then the user stream's position is
    // read: live direct frames after the welcome are exactly those above it (protocol.md, section 10.1).
    const sendWelcome = (userStream?: StreamPosition) => this.outbound.send(session, { type: ServerMessageType.Welcome, data: userStream ? { ...welcome, userStream } : welcome });
    const opened = () => this.userStreams.opened(session, sendWelcome);
    void this.delivery.userSubscribed(session.userId).then(opened, opened);
  }

  private disconnected(session: Session, code: number): void {
    const rooms = this.registry.remove(session);
    this.userRateLimiter.release(session.userId);
    this.presence.sessionClosed(session, rooms);
    for (const room of rooms) this.lifecycle.roomLeft(session, room);
    this.metrics.closed(code);
    this.logger.info(
      { sessionId: session.id, userId: session.userId, remoteAddress: session.remoteAddress, code, durationMs: Date.now() - session.connectedAt },
      'connection closed',
    );
    this.lifecycle.connectionClosed(session, code);
  }
}

function sessionOf(socket: WebSocket): Session {
  return (socket as SessionSocket)[SESSION];
}
