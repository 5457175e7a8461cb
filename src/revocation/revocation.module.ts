import { Global, Module } from '@nestjs/common';
import { storeProvider } from '../redis/store-provider';
import { REVOCATION_STORE, RevocationStore } from './revocation-store';
import { InMemoryRevocationStore } from './revocation-store.memory';
import { RedisRevocationStore } from './revocation-store.redis';
import { RevocationService } from './revocation.service';
import { RevokedTokens } from './revoked-tokens';

/** Global: the upgrade verifier, the auth handler and the admin API share the one RevokedTokens. */
@Global()
@Module({
  providers: [
    RevokedTokens,
    storeProvider<RevocationStore>(REVOCATION_STORE, { memory: () => new InMemoryRevocationStore(), redis: (redis) => new RedisRevocationStore(redis) }),
    RevocationService,
  ],
  exports: [RevokedTokens, RevocationService],
})
export class RevocationModule {}
