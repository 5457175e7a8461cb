import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { HeartbeatModule } from '../heartbeat/heartbeat.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { MessagingModule } from '../messaging/messaging.module';
import { PresenceModule } from '../presence/presence.module';
import { RateLimitModule } from '../ratelimit/ratelimit.module';
import { RegistryModule } from '../registry/registry.module';
import { RevocationModule } from '../revocation/revocation.module';
import { ShutdownModule } from '../shutdown/shutdown.module';
import { FramePipelineService } from './frame-pipeline.service';
import { RealtimeGateway } from './realtime.gateway';
import { UpgradeVerifierService } from './upgrade-verifier.service';
import { WebSocketEndpointService } from './websocket-endpoint.service';

@Module({
  imports: [AuthModule, RevocationModule, ShutdownModule, HeartbeatModule, MessagingModule, RegistryModule, PresenceModule, DeliveryModule, LifecycleModule, RateLimitModule],
  providers: [RealtimeGateway, FramePipelineService, UpgradeVerifierService, WebSocketEndpointService],
})
export class GatewayModule {}
