import { Module } from '@nestjs/common';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { PresenceModule } from '../presence/presence.module';
import { RegistryModule } from '../registry/registry.module';
import { NodeLivenessService } from './node-liveness.service';
import { NodeStatsService } from './node-stats.service';

/** This node's stats, and in cluster mode its liveness and the reaping of dead nodes. */
@Module({
  imports: [RegistryModule, PresenceModule, LifecycleModule],
  providers: [NodeStatsService, NodeLivenessService],
  exports: [NodeStatsService, NodeLivenessService],
})
export class ClusterModule {}
