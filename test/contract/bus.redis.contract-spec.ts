import { RedisBus } from '../../src/bus/bus.redis';
import { RedisHistoryStore } from '../../src/history/history-store.redis';
import { waitFor, waitForAsync } from '../support/wait-for';
import { ALL_BYTES, BusNodeFactory, describeBusContract, listeningNode } from './bus.contract';
import { fresh } from './fresh';
import { redisFixture } from './redis-fixture';

const redis = redisFixture();

const redisNode: BusNodeFactory = async (nodeId) => {
  const clients = await redis.connect();
  const logged: string[] = [];
  const bus = new RedisBus(clients, nodeId, { error: (_context, message) => logged.push(message) });
  const history = new RedisHistoryStore(clients, { sizePerRoom: 100, ttlMs: 60_000 });
  // listen() subscribes to its node channel last, on the same connection as the patterns.
  const listening = () => waitForAsync(async () => ((await clients.command.pubsub('NUMSUB', `rg:node:${nodeId}`)) as [string, number])[1] === 1, 5000);
  return { bus, history, logged, listening };
};

describeBusContract('Redis', redisNode);

describe('RedisBus between nodes (Redis only: see Bus)', () => {
  it('hands room events, user and all frames, stored messages and control messages to every node', async () => {
    const [a, b] = [await listeningNode(redisNode), await listeningNode(redisNode)];
    const [room, user] = [fresh('room'), fresh('user')];
    await a.bus.roomEvent(room, ALL_BYTES, 's1');
    await a.bus.toUser(user, ALL_BYTES);
    await a.bus.toAll(ALL_BYTES);
    const stored = await a.history.append(room, { room, messageId: 'm1', from: 'alice', body: 1, ts: 0 });
    const control = { type: 'remove-member', room, userId: 'bob' } as const;
    await a.bus.control(control);
    const expected = [
      ['roomEvent', room, ALL_BYTES, 's1'],
      ['userFrame', user, ALL_BYTES],
      ['allFrame', ALL_BYTES],
      ['roomMessage', room, 1, stored.data.epoch, stored.frame],
    ];
    expect(await a.listener.next(4)).toEqual(expected);
    expect(await b.listener.next(4)).toEqual(expected);
    await waitFor(() => a.control.length === 1 && b.control.length === 1, 3000);
    expect([a.control, b.control]).toEqual([[control], [control]]);
  });

  it('delivers a kick to the named node only', async () => {
    const [a, b] = [await listeningNode(redisNode), await listeningNode(redisNode)];
    await a.bus.kick(b.nodeId, 'session-on-b');
    await a.bus.toAll(Buffer.from('marker'));
    expect(await b.listener.next(2)).toEqual([['kick', 'session-on-b'], ['allFrame', Buffer.from('marker')]]);
    expect(await a.listener.next(1)).toEqual([['allFrame', Buffer.from('marker')]]);
  });

  it('logs a malformed payload instead of throwing, and keeps delivering', async () => {
    const node = await listeningNode(redisNode);
    const publisher = await redis.connect();
    const room = fresh('room');
    await publisher.command.publish(`rg:ev:${room}`, 'no separator');
    await node.bus.roomEvent(room, Buffer.from('after'));
    expect(await node.listener.next(1)).toEqual([['roomEvent', room, Buffer.from('after'), undefined]]);
    expect(node.logged).toEqual(['bus: undeliverable payload']);
  });

  it('rejects a publish while Redis is unreachable, and calls resubscribed() once it is back', async () => {
    const node = await listeningNode(redisNode);
    const clients = await redis.connect();
    const sender = new RedisBus(clients, fresh('node'), { error: () => undefined });
    await redis.whileDown(clients, async () => {
      await expect(sender.toAll(Buffer.from('lost'))).rejects.toThrow();
    });
    expect(await node.listener.next(1)).toEqual([['resubscribed']]);
    await node.listening();
    await sender.toAll(Buffer.from('back'));
    expect(await node.listener.next(2)).toEqual([['resubscribed'], ['allFrame', Buffer.from('back')]]);
  }, 20_000);
});
