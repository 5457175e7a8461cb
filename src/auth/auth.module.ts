import { Module } from '@nestjs/common';
import { AuthHandler } from '../messaging/handlers/auth.handler';
import { AddressConnections } from './address-connections';
import { REDIS } from '../redis/redis.module';
import { RedisClients } from '../redis/redis-clients';
import { RedisTicketStore } from './ticket-store.redis';
import { InMemoryTicketStore, TICKET_STORE } from './ticket-store';
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
    {
      provide: TICKET_STORE,
      useFactory: (redis?: RedisClients) => (redis ? new RedisTicketStore(redis) : new InMemoryTicketStore()),
      inject: [{ token: REDIS, optional: true }],
    },
  ],
  exports: [TokenVerifier, TokenExpiryService, AddressConnections, TICKET_STORE],
})
export class AuthModule {}
