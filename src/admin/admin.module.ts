import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminJwtVerifier } from './admin-jwt.verifier';
import { BroadcastController } from './broadcast.controller';
import { ConnectionsController } from './connections.controller';
import { RevocationsController } from './revocations.controller';
import { MemberRemovals, RoomMembersController } from './room-members.controller';
import { RoomsController } from './rooms.controller';
import { StatsController } from './stats.controller';
import { UsersController } from './users.controller';

/** The admin REST API under /admin (OpenAPI at /docs); the dashboard page is public/admin/ui. */
@Module({
  imports: [MessagingModule],
  controllers: [ConnectionsController, RoomsController, RoomMembersController, UsersController, BroadcastController, StatsController, RevocationsController],
  providers: [AdminAuthGuard, AdminJwtVerifier, MemberRemovals],
})
export class AdminModule {}
