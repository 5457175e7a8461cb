import { redisClusterFixture } from './redis-cluster-fixture';

const cluster = redisClusterFixture();

// What makes the *.redis-cluster.contract-spec.ts runs prove something: the fixture refuses what a
// production cluster refuses.
describe('the Redis Cluster fixture', () => {
  it('refuses a script whose KEYS are in two slots, and one that touches a key it was not given in another slot', async () => {
    const { command } = await cluster.connect();
    await expect(command.eval('return 1', 2, 'rg:{a}:x', 'rg:{b}:x')).rejects.toThrow(/CROSSSLOT/);
    const undeclared = (tag: string) => command.eval(`return redis.call('GET', 'rg:{${tag}}:y')`, 1, 'rg:{a}:x');
    const refused = await Promise.allSettled(['a', 'b', 'c', 'd', 'e', 'f'].map(undeclared));
    expect(refused.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
  });
});
