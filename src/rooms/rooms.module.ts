import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { HistoryModule } from '../history/history.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { PresenceModule } from '../presence/presence.module';
import { RegistryModule } from '../registry/registry.module';
import { MemberRemovalsService } from './member-removals.service';
import { PresenceHandler } from './presence.handler';
import { RoomAuthorizationService } from './room-authorization.service';
import { RoomHandler } from './room.handler';
import { RoomPublisherService } from './room-publisher.service';
import { RoomSubscriptionsService } from './room-subscriptions.service';

/**
 * Rooms: join (with recovery) and leave, publish, history and presence reads, and removals asked
 * by any node. The handlers are found by the HandlerRegistryService like any @MessageHandler provider.
 */
@Module({
  imports: [RegistryModule, HistoryModule, PresenceModule, DeliveryModule, LifecycleModule],
  providers: [RoomAuthorizationService, RoomSubscriptionsService, RoomPublisherService, MemberRemovalsService, RoomHandler, PresenceHandler],
  exports: [RoomPublisherService],
})
export class RoomsModule {}
