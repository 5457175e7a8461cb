import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { storeProvider } from '../redis/store-provider';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { RegistryModule } from '../registry/registry.module';
import { PRESENCE_STORE, PresenceStore } from './presence-store';
import { InMemoryPresenceStore } from './presence-store.memory';
import { RedisPresenceStore } from './presence-store.redis';
import { PresenceService } from './presence.service';

/** Presence and the session directory: cluster-wide on Redis, else this node's registry. */
@Module({
  imports: [RegistryModule],
  providers: [
    storeProvider<PresenceStore, [AppConfig, ConnectionRegistryService]>(PRESENCE_STORE, {
      inject: [APP_CONFIG, ConnectionRegistryService],
      memory: (config, registry) => new InMemoryPresenceStore(registry, config.nodeId),
      redis: (redis, config) => new RedisPresenceStore(redis, config.nodeId),
    }),
    PresenceService,
  ],
  exports: [PRESENCE_STORE, PresenceService],
})
export class PresenceModule {}
