import { InMemoryPresenceStore } from '../../src/presence/presence-store.memory';
import { fresh } from './fresh';
import { describePresenceStoreContract, presenceNode, PresenceStoreFactory } from './presence-store.contract';

const memory: PresenceStoreFactory = async (registry, nodeId) => new InMemoryPresenceStore(registry, nodeId);

describePresenceStoreContract('in memory', memory);

describe('InMemoryPresenceStore (memory only: see PresenceStore)', () => {
  it('numbers sessions in this node\'s registration order, reports lastActivityAt live, and has no node stats', async () => {
    const node = await presenceNode(memory);
    const [a, b] = [await node.connect(fresh('user')), await node.connect(fresh('user'))];
    expect([(await node.store.session(a.id))!.seq, (await node.store.session(b.id))!.seq]).toEqual([1, 2]);
    a.lastActivityAt = Date.now();
    expect((await node.store.session(a.id))!.lastActivityAt).toBe(a.lastActivityAt);
    expect(await node.store.nodeStats()).toEqual([]);
  });
});
