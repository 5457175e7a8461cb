import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { HistoryModule } from '../history/history.module';
import { PresenceModule } from '../presence/presence.module';
import { RevocationModule } from '../revocation/revocation.module';
import { DirectMessagesService } from './direct-messages.service';
import { HandlerRegistryService } from './handler-registry.service';
import { AuthHandler } from './handlers/auth.handler';
import { DirectHandler } from './handlers/direct.handler';
import { PingHandler } from './handlers/ping.handler';
import { ReceiptHandler } from './handlers/receipt.handler';
import { UserStreamHandler } from './handlers/user-stream.handler';
import { ActivityInterceptor } from './activity.interceptor';
import { ReceiptsService } from './receipts.service';

/**
 * The registry that finds every @MessageHandler in the app (the rooms feature's and extensions'
 * too), and the message types that belong to no feature: ping, direct messages, auth.refresh.
 */
@Module({
  imports: [DiscoveryModule, AuthModule, RevocationModule, PresenceModule, HistoryModule, DeliveryModule],
  // ActivityInterceptor is global (APP_INTERCEPTOR): it records lastActivityAt for every handler, extensions' too.
  providers: [HandlerRegistryService, DirectMessagesService, PingHandler, DirectHandler, ReceiptsService, ReceiptHandler, UserStreamHandler, AuthHandler, { provide: APP_INTERCEPTOR, useClass: ActivityInterceptor }],
  exports: [HandlerRegistryService, DirectMessagesService],
})
export class MessagingModule {}
