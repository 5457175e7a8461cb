import { setTimeout as delay } from 'node:timers/promises';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { OutboundService } from '../delivery/outbound.service';
import { CloseCode } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';

/**
 * Graceful shutdown. On SIGTERM/SIGINT new upgrades are refused (503) and every socket is closed
 * with 1001 after its queued frames, before the endpoint terminates what is left with 1006.
 */
@Injectable()
export class DrainService implements BeforeApplicationShutdown {
  draining = false;
  private drained?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistryService,
    private readonly outbound: OutboundService,
    @InjectPinoLogger(DrainService.name) private readonly logger: PinoLogger,
  ) {}

  beforeApplicationShutdown(): Promise<void> {
    return this.drain();
  }

  /** Once per process, whoever asks first: WebSocketEndpointService awaits it before closing the server. */
  drain(): Promise<void> {
    return (this.drained ??= this.closeAll());
  }

  private async closeAll(): Promise<void> {
    this.draining = true;
    const sessions = [...this.registry.all()];
    this.logger.info({ connections: sessions.length }, 'draining connections');
    const closed = sessions.map((s) => new Promise((resolve) => s.socket.once('close', resolve)));
    for (const session of sessions) this.outbound.close(session, CloseCode.GoingAway, 'server shutting down');
    // Half the budget for the close handshakes; the rest is for Nest's own teardown.
    const budget = delay(this.config.shutdownTimeoutMs / 2, undefined, { ref: false });
    await Promise.race([Promise.all(closed), budget]);
  }
}
