import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { RedisClients } from '../redis/redis-clients';
import { REDIS } from '../redis/redis.module';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { InMemoryPresenceStore } from '../presence/presence-store.memory';
import { NodeLiveness } from './node-liveness.service';
import { NodeStats } from './node-stats.service';
import { PRESENCE_STORE } from '../presence/presence-store';
import { RedisPresenceStore } from '../presence/presence-store.redis';

/** Presence, the session directory and node stats: cluster-wide on Redis, else this node's registry. */
@Global()
@Module({
  providers: [
    {
      provide: PRESENCE_STORE,
      useFactory: (config: AppConfig, registry: ConnectionRegistry, redis?: RedisClients) =>
        redis ? new RedisPresenceStore(redis, config.nodeId) : new InMemoryPresenceStore(registry, config.nodeId),
      inject: [APP_CONFIG, ConnectionRegistry, { token: REDIS, optional: true }],
    },
    NodeStats,
    NodeLiveness,
  ],
  exports: [PRESENCE_STORE, NodeStats],
})
export class ClusterModule {}
