import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { Session } from '../registry/session';

/**
 * One shared timer pings every session each HEARTBEAT_INTERVAL_MS; a session from which nothing
 * (pong or any frame) arrived HEARTBEAT_TIMEOUT_MS after its ping is terminated.
 *
 * Live peers must survive an event-loop stall: after one, timers run before pending socket reads,
 * so a sweep decided inside a late timer would kill peers whose pong is already waiting in the
 * kernel. A sweep that fires late is therefore postponed until one fires on time, and the sweep
 * itself runs in a setImmediate, after the poll phase has read what arrived.

 */
/** A timer this late means the event loop stalled; peers get their reads processed first. */
const STALL_TOLERANCE_MS = 50;

@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private interval?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly metrics: GatewayMetrics,
    @InjectPinoLogger(HeartbeatService.name) private readonly logger: PinoLogger,
  ) {}

  /** Called for every inbound frame and pong. */
  static markAlive(session: Session): void {
    session.awaitingPong = false;
  }

  onApplicationBootstrap(): void {
    this.interval = setInterval(() => this.pingAll(), this.config.heartbeatIntervalMs);
    this.interval.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.interval);
    clearTimeout(this.sweepTimer);
  }

  private pingAll(): void {
    // A sweep still pending (postponed by a stall) is superseded: the new ping starts a new window.
    clearTimeout(this.sweepTimer);
    for (const session of this.registry.all()) {
      if (session.closing) continue;
      session.awaitingPong = true;
      session.socket.ping();
    }
    this.scheduleSweep(Date.now() + this.config.heartbeatTimeoutMs);
  }

  private scheduleSweep(due: number): void {
    this.sweepTimer = setTimeout(() => {
      const lateMs = Date.now() - due;
      if (lateMs > STALL_TOLERANCE_MS) return this.scheduleSweep(Date.now() + Math.min(lateMs, this.config.heartbeatTimeoutMs));
      setImmediate(() => this.sweep());
    }, due - Date.now());
    this.sweepTimer.unref();
  }

  private sweep(): void {
    for (const session of this.registry.all()) {
      if (!session.awaitingPong || session.closing) continue;
      session.closing = true;
      this.metrics.heartbeatTerminations.value++;
      this.logger.info({ sessionId: session.id, userId: session.userId }, 'heartbeat timeout: terminating');
      session.socket.terminate();
    }
  }
}
