import { Global, Module } from '@nestjs/common';
import { RedisClients } from '../redis/redis-clients';
import { REDIS } from '../redis/redis.module';
import { RedisRevocationStore } from './revocation-store.redis';
import { RevocationList } from './revocation-list.service';
import { InMemoryRevocationStore, REVOCATION_STORE } from './revocation-store';
import { Revocations } from './revocations.service';

/** Global: the upgrade verifier, the auth handler and the admin API share the one list. Shared on Redis when REDIS_URL is set. */
@Global()
@Module({
  providers: [
    RevocationList,
    {
      provide: REVOCATION_STORE,
      useFactory: (redis?: RedisClients) => (redis ? new RedisRevocationStore(redis) : new InMemoryRevocationStore()),
      inject: [{ token: REDIS, optional: true }],
    },
    Revocations,
  ],
  exports: [RevocationList, Revocations],
})
export class RevocationModule {}
