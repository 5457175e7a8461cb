import { FactoryProvider, InjectionToken } from '@nestjs/common';
import type { RedisClients } from './redis-clients';
import { REDIS } from './redis.module';

/** How to build one store on each driver, from the same injected dependencies. */
export interface StoreDrivers<T, Deps extends unknown[]> {
  inject?: { [K in keyof Deps]: InjectionToken };
  memory: (...deps: Deps) => T;
  redis: (redis: RedisClients, ...deps: Deps) => T;
}

/**
 * The one place that chooses between memory and Redis: every store is on Redis when REDIS_URL or
 * REDIS_SENTINELS is set (so shared by the nodes), else in this process. Feature modules say how
 * to build theirs.
 */
export function storeProvider<T, Deps extends unknown[] = []>(token: InjectionToken, drivers: StoreDrivers<T, Deps>): FactoryProvider<T> {
  return {
    provide: token,
    useFactory: (redis: RedisClients | undefined, ...deps: Deps) => (redis ? drivers.redis(redis, ...deps) : drivers.memory(...deps)),
    inject: [{ token: REDIS, optional: true }, ...((drivers.inject ?? []) as InjectionToken[])],
  };
}
