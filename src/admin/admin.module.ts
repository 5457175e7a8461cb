import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { PresenceModule } from '../presence/presence.module';
import { RealtimeServiceModule } from '../realtime/realtime-service.module';
import { MetricsWindow } from '../metrics/metrics-window';
import { RegistryModule } from '../registry/registry.module';
import { RevocationModule } from '../revocation/revocation.module';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminJwtVerifier } from './admin-jwt.verifier';
import { BroadcastController } from './broadcast.controller';
import { ConnectionsController } from './connections.controller';
import { RevocationsController } from './revocations.controller';
import { RoomMembersController } from './room-members.controller';
import { RoomsController } from './rooms.controller';
import { StatsController } from './stats.controller';
import { StatsWindowController } from './stats-window.controller';
import { UsersController } from './users.controller';
import { WebhooksController } from './webhooks.controller';
import { WebhooksModule } from '../webhooks/webhooks.module';

/** The admin REST API under /admin (OpenAPI at /docs), built on RealtimeService; the dashboard page is public/admin/ui. */
@Module({
  imports: [RealtimeServiceModule, RevocationModule, ClusterModule, PresenceModule, RegistryModule, WebhooksModule],
  controllers: [ConnectionsController, RoomsController, RoomMembersController, UsersController, BroadcastController, StatsController, StatsWindowController, RevocationsController, WebhooksController],
  // The charts' sampler runs only where the admin API is served.
  providers: [AdminAuthGuard, AdminJwtVerifier, MetricsWindow],
})
export class AdminModule {}
