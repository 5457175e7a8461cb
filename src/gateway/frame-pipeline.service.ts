import { HttpException, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { OutboundService } from '../delivery/outbound.service';
import { LogLimiter } from '../logging/log-limiter';
import { HandlerRegistryService } from '../messaging/handler-registry.service';
import { MessageError } from '../messaging/message-error';
import { validatePayload } from '../messaging/payload-validator';
import { TrafficMetrics } from '../metrics/traffic.metrics';
import { CloseCode, ErrorCode, ErrorData } from '../protocol';
import { Session } from '../registry/session';
import { readEnvelope, readId } from './envelope-reader';

const NO_DATA = Object.freeze({});
const CONNECTION_OVER_RATE = 'rate limit exceeded; slow down';
const USER_OVER_RATE = 'user rate limit exceeded; slow down';

/**
 * parse -> rate limit -> envelope -> handler lookup -> validate -> invoke -> reply, for one text
 * frame. Every failure becomes an `error` frame (never an echo of the input); nothing a client
 * sends can throw out of here.
 */
@Injectable()
export class FramePipelineService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly handlers: HandlerRegistryService,
    private readonly outbound: OutboundService,
    private readonly traffic: TrafficMetrics,
    private readonly limiter: LogLimiter,
    @InjectPinoLogger(FramePipelineService.name) private readonly logger: PinoLogger,
  ) {}

  /** The handlers are all registered by now: each handled type gets its own metric series. */
  onApplicationBootstrap(): void {
    this.traffic.knownTypes(this.handlers.types());
  }

  handle(session: Session, raw: Buffer): void {
    this.traffic.bytesIn.value += raw.length;
    let frame: unknown;
    try {
      frame = JSON.parse(raw.toString());
    } catch {
      // Unparsable frames count against the rate like any other: else a flood of them is free.
      const refused = this.overRate(session);
      if (refused) return this.refuseOverRate(session, undefined, refused);
      return this.outbound.sendError(session, undefined, { code: ErrorCode.BadJson, message: 'frame is not valid JSON' });
    }
    const id = readId(frame);
    try {
      const refused = this.overRate(session);
      if (refused) return this.refuseOverRate(session, id, refused);
      this.dispatch(session, frame, id);
    } catch (err) {
      this.fail(session, id, undefined, err);
    }
  }

  private dispatch(session: Session, frame: unknown, id: string | undefined): void {
    const envelope = readEnvelope(frame, this.config.maxJsonDepth);
    this.traffic.messageIn(envelope.type);
    const handler = this.handlers.get(envelope.type);
    if (!handler) throw new MessageError(ErrorCode.UnknownType, 'no handler for this message type');
    const payload = validatePayload(handler.dto, envelope.data ?? NO_DATA);
    handler.invoke(session, payload).then(
      (result) => this.outbound.send(session, { type: handler.replyType, id, data: result }),
      (err: unknown) => this.fail(session, id, envelope.type, err),
    );
  }

  /** The connection's bucket, then the user's budget (shared by their connections, on every node with Redis); undefined: within both. */
  private overRate(session: Session): string | undefined {
    const now = Date.now();
    if (!session.rateLimit.take(now)) return CONNECTION_OVER_RATE;
    if (!session.userRateLimit.take(now)) return USER_OVER_RATE;
    return undefined;
  }

  /**
   * Over the rate: RATE_LIMITED; a client that keeps going for another burst of its connection's
   * bucket is closed with 4009 (per connection: refusals by the user's budget do not count).
   */
  private refuseOverRate(session: Session, id: string | undefined, message: string): void {
    if (session.rateLimit.refusedInARow > this.config.rateLimitBurst) {
      this.outbound.close(session, CloseCode.TooManyRequests, 'too many requests');
      return;
    }
    this.outbound.sendError(session, id, { code: ErrorCode.RateLimited, message });
  }

  private fail(session: Session, id: string | undefined, type: string | undefined, err: unknown): void {
    this.outbound.sendError(session, id, this.toErrorData(session, type, err));
  }

  private toErrorData(session: Session, type: string | undefined, err: unknown): ErrorData {
    if (err instanceof MessageError) {
      return err.details ? { code: err.code, message: err.message, details: err.details } : { code: err.code, message: err.message };
    }
    // Guards refuse with Nest's ForbiddenException; a handler may throw other HttpExceptions.
    if (err instanceof HttpException && (err.getStatus() === 403 || err.getStatus() === 401)) {
      return { code: ErrorCode.Forbidden, message: 'forbidden' };
    }
    // A handler that fails on every message must not let one client flood the log.
    const suppressed = this.limiter.admit(session);
    if (suppressed !== undefined) this.logger.error({ err, sessionId: session.id, type, suppressed }, 'message handler failed');
    return { code: ErrorCode.Internal, message: 'internal error' };
  }
}
