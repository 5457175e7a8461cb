import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { HistoryModule } from '../history/history.module';
import { MessagingModule } from '../messaging/messaging.module';
import { PresenceModule } from '../presence/presence.module';
import { RegistryModule } from '../registry/registry.module';
import { RoomsModule } from '../rooms/rooms.module';
import { RealtimeService } from './realtime.service';

/** RealtimeService, for the admin API and the host app (BUS and APP_CONFIG come from global modules). */
@Module({
  imports: [RoomsModule, MessagingModule, PresenceModule, HistoryModule, RegistryModule, DeliveryModule],
  providers: [RealtimeService],
  exports: [RealtimeService],
})
export class RealtimeServiceModule {}
