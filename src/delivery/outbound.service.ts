import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { WebSocket } from 'ws';
import { APP_CONFIG, AppConfig } from '../config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { TrafficMetrics } from '../metrics/traffic.metrics';
import { CloseCode, encodeFrame, ErrorData, ServerEnvelope, ServerMessageType } from '../protocol';
import { Session } from '../registry/session';

/** A close that is not answered by the peer within this delay ends in terminate(). */
export const CLOSE_GRACE_MS = 2000;

const TEXT = { binary: false } as const;

/**
 * The only way frames leave the server. Enforces the slow-consumer bound: a socket whose unsent
 * buffer passes SEND_BUFFER_MAX_BYTES is closed with 4008 and terminated shortly after, so it can
 * neither eat memory nor hold up the rest of a room.
 */
@Injectable()
export class OutboundService {
  private readonly maxBuffered: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly traffic: TrafficMetrics,
    private readonly metrics: GatewayMetrics,
    @InjectPinoLogger(OutboundService.name) private readonly logger: PinoLogger,
  ) {
    this.maxBuffered = config.sendBufferMaxBytes;
  }

  /** Writes an encoded frame; returns whether it was handed to the socket. */
  write(session: Session, encoded: Buffer): boolean {
    const socket = session.socket;
    if (session.closing || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(encoded, TEXT);
    this.traffic.frameOut(encoded);
    if (socket.bufferedAmount > this.maxBuffered) {
      this.logger.warn({ sessionId: session.id, bufferedBytes: socket.bufferedAmount }, 'slow consumer');
      this.close(session, CloseCode.SlowConsumer, 'slow consumer');
      return false;
    }
    return true;
  }

  send<T>(session: Session, frame: ServerEnvelope<T>): boolean {
    return this.write(session, encodeFrame(frame));
  }

  sendError(session: Session, id: string | undefined, error: ErrorData): void {
    this.traffic.errorSent(error.code);
    // JSON.stringify drops an undefined id, so a request without one gets an error without one.
    this.send(session, { type: ServerMessageType.Error, id, data: error });
  }

  /** Starts a close handshake; a peer that does not complete it (it is not reading) is terminated. */
  close(session: Session, code: CloseCode, reason: string): void {
    if (session.closing) return;
    session.closing = true;
    if (code === CloseCode.SlowConsumer) this.metrics.slowConsumerCloses.value++;
    const socket = session.socket;
    socket.close(code, reason);
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  }
}
