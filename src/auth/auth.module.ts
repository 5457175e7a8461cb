import { Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import cors from 'cors';
import { APP_CONFIG, AppConfig } from '../config';
import { DeliveryModule } from '../delivery/delivery.module';
import { storeProvider } from '../redis/store-provider';
import { RegistryModule } from '../registry/registry.module';
import { AddressConnections } from './address-connections';
import { TICKET_STORE, TicketStore } from './ticket-store';
import { InMemoryTicketStore } from './ticket-store.memory';
import { RedisTicketStore } from './ticket-store.redis';
import { ticketCors } from './ticket-cors';
import { TicketController } from './ticket.controller';
import { TokenExpiryService } from './token-expiry.service';
import { TokenVerifier } from './token-verifier';

/**
 * Token verification, upgrade tickets (POST /auth/ticket), token expiry (4001), per-address
 * connection counts.
 */
@Module({
  imports: [RegistryModule, DeliveryModule],
  controllers: [TicketController],
  providers: [
    TokenVerifier,
    TokenExpiryService,
    AddressConnections,
    // A ticket issued by one node must be redeemable on any other: on Redis in a cluster.
    storeProvider<TicketStore>(TICKET_STORE, { memory: () => new InMemoryTicketStore(), redis: (redis) => new RedisTicketStore(redis) }),
  ],
  exports: [TokenVerifier, TokenExpiryService, AddressConnections, TICKET_STORE],
})
export class AuthModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** CORS for the ticket route alone, declared here so a host application gets it too (not app.enableCors, which is app-wide). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cors(ticketCors(this.config))).forRoutes({ path: 'auth/ticket', method: RequestMethod.ALL });
  }
}
