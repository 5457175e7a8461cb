import type { Cluster } from 'ioredis';
import { RedisBus } from '../../src/bus/bus.redis';
import { SHARDED_CHANNELS } from '../../src/bus/bus-codec';
import { RedisHistoryStore, RedisStreamStore } from '../../src/history/history-store.redis';
import { USER_STREAMS } from '../../src/history/user-streams';
import { waitForAsync } from '../support/wait-for';
import { BusNodeFactory, describeBusContract, interested, listeningNode } from './bus.contract';
import { fresh } from './fresh';
import { redisClusterFixture } from './redis-cluster-fixture';

const cluster = redisClusterFixture();

const clusterNode: BusNodeFactory = async (nodeId) => {
  const clients = await cluster.clients();
  const logged: string[] = [];
  const bus = new RedisBus(clients, nodeId, { error: (_context, message) => logged.push(message) });
  const history = new RedisHistoryStore(clients, { sizePerRoom: 100, ttlMs: 60_000 });
  const userStreams = new RedisStreamStore(clients, { sizePerRoom: 100, ttlMs: 60_000 }, USER_STREAMS);
  // Sharded: the node channel is subscribed on its shard's primary.
  const command = clients.command as unknown as Cluster;
  const channel = SHARDED_CHANNELS.node(nodeId);
  const listening = () =>
    waitForAsync(async () => (await Promise.all(command.nodes('master').map((n) => n.pubsub('SHARDNUMSUB', channel) as Promise<[string, number]>))).some(([, n]) => n === 1), 5000);
  return { bus, history, userStreams, logged, listening };
};

describeBusContract('Redis Cluster (sharded pub/sub)', clusterNode);

describe('RedisBus on a Redis Cluster', () => {
  it('subscribes rooms and users of many slots at once (one SSUBSCRIBE per slot, on its shard) and delivers each to the interested node only', async () => {
    const [a, b] = [await listeningNode(clusterNode), await listeningNode(clusterNode)];
    // At least 12 rooms, on every shard.
    const rooms: string[] = [];
    const shards = new Set<unknown>();
    while ((shards.size < 3 || rooms.length < 12) && rooms.length < 200) {
      rooms.push(fresh('room'));
      shards.add(await cluster.setup().primaryFor(SHARDED_CHANNELS.room(rooms[rooms.length - 1])));
    }
    expect(shards.size).toBe(3);
    const users = Array.from({ length: 6 }, () => fresh('user'));
    // All wanted within one turn: one batch, split by slot.
    await Promise.all([...rooms.map((room) => interested(a.bus, 'room', room)), ...users.map((user) => interested(a.bus, 'user', user))]);
    for (const room of rooms) await b.history.append(room, { room, messageId: room, from: 'b', body: room, ts: 0 });
    for (const user of users) await b.bus.toUser(user, Buffer.from(user));
    const heard = await a.listener.next(rooms.length + users.length);
    // In each channel's order; shards deliver over their own connections, so not across rooms.
    expect(heard.filter(([kind]) => kind === 'roomMessage').map(([, room]) => room as string).sort()).toEqual([...rooms].sort());
    expect(heard.filter(([kind]) => kind === 'userFrame').map(([, user, frame]) => [user, String(frame)]).sort()).toEqual(users.map((user) => [user, user]).sort());
    await b.bus.toAll(Buffer.from('marker'));
    expect(await b.listener.next(1)).toEqual([['allFrame', Buffer.from('marker')]]);
  });
});
