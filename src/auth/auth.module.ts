import { Module } from '@nestjs/common';
import { AuthHandler } from '../messaging/handlers/auth.handler';
import { AddressConnections } from './address-connections';
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
    // One node: in memory. A Redis-backed TicketStore binds here for a cluster.
    { provide: TICKET_STORE, useClass: InMemoryTicketStore },
  ],
  exports: [TokenVerifier, TokenExpiryService, AddressConnections, TICKET_STORE],
})
export class AuthModule {}
