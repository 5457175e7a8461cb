import { InMemoryBus } from '../../src/bus/bus.memory';
import { InMemoryHistoryStore, InMemoryStreamStore } from '../../src/history/history-store.memory';
import { USER_STREAMS } from '../../src/history/user-streams';
import { ALL_BYTES, BusNodeFactory, describeBusContract, listeningNode } from './bus.contract';
import { fresh } from './fresh';

const memoryNode: BusNodeFactory = async (nodeId) => {
  const logged: string[] = [];
  const bus = new InMemoryBus(nodeId, { error: (_context, message) => logged.push(message) });
  const limits = { sizePerRoom: 100, ttlMs: 60_000, maxBytes: 1 << 20 };
  return { bus, history: new InMemoryHistoryStore(limits), userStreams: new InMemoryStreamStore(USER_STREAMS, limits), logged, listening: async () => undefined };
};

describeBusContract('in memory', memoryNode);

describe('InMemoryBus delivery (memory only: see Bus)', () => {
  it('delivers within the call, before its promise resolves', async () => {
    const node = await listeningNode(memoryNode);
    const room = fresh('room');
    const sent = [node.bus.roomEvent(room, ALL_BYTES), node.bus.toUser('u', ALL_BYTES), node.bus.toAll(ALL_BYTES), node.bus.kick(node.nodeId, 's')];
    expect(node.listener.heard.map(([method]) => method)).toEqual(['roomEvent', 'userFrame', 'allFrame', 'kick']);
    await Promise.all(sent);
    const message = { type: 'revoke', userId: 'u', untilMs: 1 } as const;
    const control = node.bus.control(message);
    expect(node.control).toEqual([message]);
    await control;
  });
});
