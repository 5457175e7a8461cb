import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { storeProvider } from '../redis/store-provider';
import { RegistryModule } from '../registry/registry.module';
import { REVOCATION_STORE, RevocationStore } from './revocation-store';
import { InMemoryRevocationStore } from './revocation-store.memory';
import { RedisRevocationStore } from './revocation-store.redis';
import { RevocationService } from './revocation.service';
import { RevokedTokens } from './revoked-tokens';

/** Revoked users and token ids: one RevokedTokens for the upgrade, `auth.refresh` and the admin API. */
@Module({
  imports: [RegistryModule, DeliveryModule],
  providers: [
    RevokedTokens,
    storeProvider<RevocationStore>(REVOCATION_STORE, { memory: () => new InMemoryRevocationStore(), redis: (redis) => new RedisRevocationStore(redis) }),
    RevocationService,
  ],
  exports: [RevokedTokens, RevocationService],
})
export class RevocationModule {}
