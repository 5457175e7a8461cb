import { Module } from '@nestjs/common';
import { AuthHandler } from '../messaging/handlers/auth.handler';
import { storeProvider } from '../redis/store-provider';
import { AddressConnections } from './address-connections';
import { TICKET_STORE, TicketStore } from './ticket-store';
import { InMemoryTicketStore } from './ticket-store.memory';
import { RedisTicketStore } from './ticket-store.redis';
import { TicketController } from './ticket.controller';
import { TokenExpiryService } from './token-expiry.service';
import { TokenVerifier } from './token-verifier';

/**
 * Token verification, upgrade tickets (POST /auth/ticket), token expiry (4001) and `auth.refresh`
 * (found by the HandlerRegistry like any @MessageHandler provider), per-address connection counts.
 */
@Module({
  controllers: [TicketController],
  providers: [
    TokenVerifier,
    TokenExpiryService,
    AddressConnections,
    AuthHandler,
    // A ticket issued by one node must be redeemable on any other: on Redis in a cluster.
    storeProvider<TicketStore>(TICKET_STORE, { memory: () => new InMemoryTicketStore(), redis: (redis) => new RedisTicketStore(redis) }),
  ],
  exports: [TokenVerifier, TokenExpiryService, AddressConnections, TICKET_STORE],
})
export class AuthModule {}
