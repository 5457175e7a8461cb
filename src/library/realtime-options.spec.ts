import 'reflect-metadata';
import { configFromOptions } from './realtime-options';

describe('configFromOptions: the Redis options', () => {
  const base = { nodeEnv: 'test', jwtSecret: 'x'.repeat(32) };

  it('redisSentinels is an array of host:port, with redisSentinelName and the passwords', () => {
    const config = configFromOptions({ ...base, redisSentinels: ['s1:26379', 's2:26379'], redisSentinelName: 'main', redisSentinelPassword: 'sp', redisPassword: 'rp' });
    expect(config.redis).toEqual({ mode: 'sentinel', sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }], name: 'main', sentinelPassword: 'sp', password: 'rp' });
  });

  it('names the options in its errors, and takes redisClusterNodes as an array', () => {
    expect(() => configFromOptions({ ...base, redisSentinels: ['s1:26379'] })).toThrow('Invalid configuration: redisSentinelName is required with redisSentinels');
    expect(configFromOptions({ ...base, redisClusterNodes: ['c1:7000', 'c2:7001'] }).redis).toEqual({ mode: 'cluster', nodes: [{ host: 'c1', port: 7000 }, { host: 'c2', port: 7001 }] });
    expect(() => configFromOptions({ ...base, redisClusterNodes: ['c1'] })).toThrow(/^Invalid configuration: redisClusterNodes: /);
    expect(() => configFromOptions({ ...base, redisSentinels: 's1:26379' as never, redisSentinelName: 'main' })).toThrow('Invalid configuration: redisSentinels: must be an array of strings');
  });
});
