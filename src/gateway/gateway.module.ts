import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { HeartbeatModule } from '../heartbeat/heartbeat.module';
import { MessagingModule } from '../messaging/messaging.module';
import { DrainService } from './drain.service';
import { FramePipeline } from './frame-pipeline.service';
import { RealtimeGateway } from './realtime.gateway';
import { UpgradeVerifier } from './upgrade-verifier.service';

@Module({
  imports: [AuthModule, HeartbeatModule, MessagingModule],
  providers: [RealtimeGateway, FramePipeline, UpgradeVerifier, DrainService],
  exports: [UpgradeVerifier, DrainService],
})
export class GatewayModule {}
