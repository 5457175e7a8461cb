import { Global, Module } from '@nestjs/common';
import { NodeLivenessService } from './node-liveness.service';
import { NodeStatsService } from './node-stats.service';

/** This node's stats, and in cluster mode its liveness and the reaping of dead nodes. */
@Global()
@Module({
  providers: [NodeStatsService, NodeLivenessService],
  exports: [NodeStatsService],
})
export class ClusterModule {}
