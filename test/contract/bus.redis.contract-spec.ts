import { RedisBus } from '../../src/bus/bus.redis';
import { RedisHistoryStore, RedisStreamStore } from '../../src/history/history-store.redis';
import { USER_STREAMS } from '../../src/history/user-streams';
import { waitFor, waitForAsync } from '../support/wait-for';
import { ALL_BYTES, BusNodeFactory, describeBusContract, interested, listeningNode } from './bus.contract';
import { fresh } from './fresh';
import { redisFixture } from './redis-fixture';

const redis = redisFixture();

const received = () => ({ room: { value: 0 }, event: { value: 0 }, user: { value: 0 }, broadcast: { value: 0 }, control: { value: 0 }, kick: { value: 0 } });
const counters = new Map<string, ReturnType<typeof received>>();

const redisNode: BusNodeFactory = async (nodeId) => {
  const clients = await redis.connect();
  const logged: string[] = [];
  counters.set(nodeId, received());
  const bus = new RedisBus(clients, nodeId, { error: (_context, message) => logged.push(message) }, counters.get(nodeId), { lingerMs: 50, maxChannels: 6 });
  const history = new RedisHistoryStore(clients, { sizePerRoom: 100, ttlMs: 60_000 });
  const userStreams = new RedisStreamStore(clients, { sizePerRoom: 100, ttlMs: 60_000 }, USER_STREAMS);
  // listen() subscribes to its node channel last, on the same connection as the patterns.
  // The command connection may still be reconnecting (after whileDown): a refused call is a "not yet".
  const listening = () =>
    waitForAsync(async () => (((await clients.command.pubsub('NUMSUB', `rg:node:${nodeId}`).catch(() => ['', 0])) as [string, number])[1] === 1), 5000);
  return { bus, history, userStreams, logged, listening };
};

describeBusContract('Redis', redisNode);

describe('RedisBus between nodes (Redis only: see Bus)', () => {
  it('hands room events, user and all frames, stored messages and control messages to every node', async () => {
    const [a, b] = [await listeningNode(redisNode), await listeningNode(redisNode)];
    const [room, user] = [fresh('room'), fresh('user')];
    for (const node of [a, b]) await Promise.all([interested(node.bus, 'room', room), interested(node.bus, 'user', user)]);
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
    await interested(node.bus, 'room', room);
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

describe('RedisBus interest (Redis only: in memory a node hears everything)', () => {
  it('hands a node only the rooms and users it declared interest in, and counts what it receives', async () => {
    const [a, b] = [await listeningNode(redisNode), await listeningNode(redisNode)];
    const [room, user] = [fresh('room'), fresh('user')];
    await interested(a.bus, 'room', room);
    await interested(a.bus, 'user', user);
    const stored = await a.history.append(room, { room, messageId: 'm1', from: 'alice', body: 1, ts: 0 });
    await b.bus.roomEvent(room, Buffer.from('event'));
    await b.bus.toUser(user, Buffer.from('direct'));
    await b.bus.toAll(Buffer.from('marker'));
    expect(await a.listener.next(4)).toEqual([
      ['roomMessage', room, 1, stored.data.epoch, stored.frame],
      ['roomEvent', room, Buffer.from('event'), undefined],
      ['userFrame', user, Buffer.from('direct')],
      ['allFrame', Buffer.from('marker')],
    ]);
    expect(await b.listener.next(1)).toEqual([['allFrame', Buffer.from('marker')]]);
    expect(counters.get(a.nodeId)).toMatchObject({ room: { value: 1 }, event: { value: 1 }, user: { value: 1 }, broadcast: { value: 1 } });
    expect(counters.get(b.nodeId)).toMatchObject({ room: { value: 0 }, event: { value: 0 }, user: { value: 0 }, broadcast: { value: 1 } });
  });

  it('unsubscribes after the linger, keeps a channel wanted again within it, and subscribes afresh after', async () => {
    const node = await listeningNode(redisNode);
    const clients = await redis.connect();
    const [kept, dropped] = [fresh('room'), fresh('room')];
    const subscribers = async (room: string) => ((await clients.command.pubsub('NUMSUB', `rg:room:${room}`)) as [string, number])[1];
    await Promise.all([interested(node.bus, 'room', kept), interested(node.bus, 'room', dropped)]);
    node.bus.disinterest('room', kept);
    node.bus.disinterest('room', dropped);
    node.bus.interest('room', kept); // within the linger: nothing to do
    await node.bus.subscribed('room', kept);
    await waitForAsync(async () => (await subscribers(dropped)) === 0, 3000);
    expect(await subscribers(kept)).toBe(1);
    await interested(node.bus, 'room', dropped);
    expect(await subscribers(dropped)).toBe(1);
    await node.bus.roomEvent(dropped, Buffer.from('back'));
    expect(await node.listener.next(1)).toEqual([['roomEvent', dropped, Buffer.from('back'), undefined]]);
  });

  it('past its channel bound, falls back to the patterns and delivers each message once', async () => {
    const node = await listeningNode(redisNode); // bound: 6 channels, 3 rooms
    const rooms = Array.from({ length: 5 }, () => fresh('room'));
    for (const room of rooms) await interested(node.bus, 'room', room);
    for (const room of rooms) await node.bus.roomEvent(room, Buffer.from(room));
    expect(await node.listener.next(5)).toEqual(rooms.map((room) => ['roomEvent', room, Buffer.from(room), undefined]));
    await node.bus.toAll(Buffer.from('marker'));
    expect(await node.listener.next(6)).toHaveLength(6);
    expect(node.listener.heard).toHaveLength(6);
    expect(node.logged).toEqual(['bus: channel bound reached; this node now receives every room and user (patterns)']);
  });
});
