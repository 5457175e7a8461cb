import { Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { WebSocket } from 'ws';
import { APP_CONFIG, AppConfig } from '../config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { TrafficMetrics } from '../metrics/traffic.metrics';
import { CloseCode, DISCONNECTED_REASON, encodeFrame, ErrorData, KICKED_REASON, ServerEnvelope, ServerMessageType } from '../protocol';
import { Session } from '../registry/session';
import { WriteCoalescer } from './write-coalescer';
import { tcpSocketOf, writableSocketOf } from './ws-internals';

/** A close that is not answered by the peer within this delay ends in terminate(). */
export const CLOSE_GRACE_MS = 2000;

const TEXT = { binary: false } as const;

/**
 * One server frame for many sockets: a server-to-client frame is unmasked, so its bytes are the
 * same for every recipient. The WebSocket frame (header + payload) is built once, on first use,
 * and that one Buffer is written to each socket (docs/performance.md, finding 4).
 */
export class PreparedFrame {
  private framed?: Buffer;

  constructor(readonly payload: Buffer) {}

  /** The complete text frame, FIN set, unmasked, uncompressed. */
  get bytes(): Buffer {
    return (this.framed ??= textFrame(this.payload));
  }
}

/** RFC 6455 section 5.2: FIN + text opcode, no mask, then the 7, 7+16 or 7+64-bit payload length. */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, header);
  return frame;
}

/**
 * The only way frames leave the server. Enforces the slow-consumer bound: a socket whose unsent
 * buffer passes SEND_BUFFER_MAX_BYTES is closed with 4008 and terminated shortly after, so it can
 * neither eat memory nor hold up the rest of a room.
 */
@Injectable()
export class OutboundService {
  private readonly maxBuffered: number;
  /** COALESCE_WRITES: at most two kernel writes per socket per event-loop turn. */
  private readonly coalescer?: WriteCoalescer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly traffic: TrafficMetrics,
    private readonly metrics: GatewayMetrics,
    @InjectPinoLogger(OutboundService.name) private readonly logger: PinoLogger,
  ) {
    this.maxBuffered = config.sendBufferMaxBytes;
    if (config.coalesceWrites) this.coalescer = new WriteCoalescer();
  }

  /** Writes an encoded frame; returns whether it was handed to the socket. */
  write(session: Session, encoded: Buffer): boolean {
    const socket = session.socket;
    if (session.closing || socket.readyState !== WebSocket.OPEN) return false;
    this.hold(socket);
    socket.send(encoded, TEXT);
    this.traffic.frameOut(encoded);
    return this.withinBound(session);
  }

  /**
   * write() for a frame going to many sessions: the prepared WebSocket frame is written to the TCP
   * socket as it is, with the same checks before and the same slow-consumer bound after (ws's
   * bufferedAmount counts the socket's unsent bytes, so it sees these writes too).
   */
  writePrepared(session: Session, frame: PreparedFrame): boolean {
    const socket = session.socket;
    if (session.closing || socket.readyState !== WebSocket.OPEN) return false;
    this.hold(socket);
    const raw = writableSocketOf(socket);
    if (raw) raw.write(frame.bytes);
    else socket.send(frame.payload, TEXT);
    this.traffic.frameOut(frame.payload);
    return this.withinBound(session);
  }

  private hold(socket: WebSocket): void {
    if (!this.coalescer) return;
    const tcp = tcpSocketOf(socket);
    if (tcp) this.coalescer.beforeWrite(tcp);
  }

  /** Closes a session whose unsent bytes passed the bound (4008); returns whether it is within. */
  private withinBound(session: Session): boolean {
    const socket = session.socket;
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
  close(session: Session, code: number, reason: string): void {
    if (session.closing) return;
    session.closing = true;
    if (code === CloseCode.SlowConsumer) this.metrics.slowConsumerCloses.value++;
    const socket = session.socket;
    socket.close(code, reason);
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Closes for an administrator (4503, KICKED_REASON) or the host app, with a code of its own. */
  disconnect(session: Session, code: number = CloseCode.Kicked): void {
    this.close(session, code, code === CloseCode.Kicked ? KICKED_REASON : DISCONNECTED_REASON);
  }
}
