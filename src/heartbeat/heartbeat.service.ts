import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { Session } from '../registry/session';

/**
 * One shared timer pings every session each HEARTBEAT_INTERVAL_MS; a session from which nothing
 * (pong or any frame) arrived HEARTBEAT_TIMEOUT_MS after its ping is terminated.
 *
 * The sweep runs in a setImmediate after the timeout fires: after an event-loop stall, timers run
 * before pending socket reads, so deciding inside the timer would kill peers whose pong is
 * already waiting in the kernel. setImmediate runs after the poll phase has read them.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private interval?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  terminated = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
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
    for (const session of this.registry.all()) {
      if (session.closing) continue;
      session.awaitingPong = true;
      session.socket.ping();
    }
    this.sweepTimer = setTimeout(() => setImmediate(() => this.sweep()), this.config.heartbeatTimeoutMs);
    this.sweepTimer.unref();
  }

  private sweep(): void {
    for (const session of this.registry.all()) {
      if (!session.awaitingPong || session.closing) continue;
      session.closing = true;
      this.terminated++;
      this.logger.info({ sessionId: session.id, userId: session.userId }, 'heartbeat timeout: terminating');
      session.socket.terminate();
    }
  }
}
