import { Module } from '@nestjs/common';
import { HeartbeatModule } from '../heartbeat/heartbeat.module';
import { MessagingModule } from '../messaging/messaging.module';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminController } from './admin.controller';

@Module({ imports: [MessagingModule, HeartbeatModule], controllers: [AdminController], providers: [AdminTokenGuard] })
export class AdminModule {}
