import { NodeStatsSnapshot } from '../../src/presence/presence-store';
import { RedisPresenceStore } from '../../src/presence/presence-store.redis';
import { waitFor } from '../support/wait-for';
import { fresh } from './fresh';
import { presenceNode, PresenceStoreFactory } from './presence-store.contract';

const stats = (node: string): NodeStatsSnapshot => ({
  node, connections: 1, users: 1, rooms: 0, messagesIn: 2, messagesOut: 3, bytesIn: 4, bytesOut: 5, heartbeatTerminations: 0, slowConsumerCloses: 0, uptimeSeconds: 6, reportedAt: 7,
});

/** What only RedisPresenceStore does (several nodes on one directory), on one Redis or a Redis Cluster. */
export function describeRedisPresenceAcrossNodes(name: string, onRedis: PresenceStoreFactory): void {
  describe(`RedisPresenceStore across nodes: ${name} (Redis only: see PresenceStore)`, () => {
    it('shares the directory: each node sees the other\'s sessions, rooms and counts, with their node', async () => {
      const [a, b] = [await presenceNode(onRedis), await presenceNode(onRedis)];
      const [user, room] = [fresh('user'), fresh('room')];
      const onA = await a.connect(user);
      const onB = await b.connect(user);
      await a.join(onA, room);
      await b.join(onB, room);
      expect(await a.store.nodeOf(onB.id)).toBe(b.nodeId);
      expect(await b.store.countForUser(user)).toBe(2);
      expect(await a.store.roomSize(room)).toBe(2);
      const both = await b.store.sessions({ user, afterSeq: 0, limit: 10 });
      expect(both.sessions.map((s) => [s.id, s.nodeId])).toEqual([[onA.id, a.nodeId], [onB.id, b.nodeId]]);
      expect((await a.store.sessions({ user, node: b.nodeId, afterSeq: 0, limit: 10 })).sessions.map((s) => s.id)).toEqual([onB.id]);
      expect(await a.store.locate({ userId: user })).toEqual(expect.arrayContaining([{ id: onB.id, nodeId: b.nodeId }]));
    });

    it('removes a session from every room it is in, even when the caller names fewer (the script reads again)', async () => {
      const node = await presenceNode(onRedis);
      const [user, kept, unnamed] = [fresh('user'), fresh('room'), fresh('room')];
      const s = await node.connect(user, fresh('jti'));
      await node.join(s, kept, unnamed);
      await node.store.disconnected(s, [kept]);
      expect([await node.store.roomSize(kept), await node.store.roomSize(unnamed), await node.store.countForUser(user)]).toEqual([0, 0, 0]);
      expect(await node.store.locate({ jti: s.tokenId })).toEqual([]);
      expect((await node.store.rooms(unnamed, '', 10)).items).toEqual([]);
    });

    it('reports lastActivityAt as of the node\'s last refresh, and the live nodes\' stats', async () => {
      const node = await presenceNode(onRedis);
      const s = await node.connect(fresh('user'));
      const store = node.store as RedisPresenceStore;
      expect(await store.heartbeat(60_000, stats(node.nodeId), [])).toBe(false);
      s.lastActivityAt = Date.now();
      expect((await store.session(s.id))!.lastActivityAt).toBe(s.connectedAt);
      expect(await store.heartbeat(60_000, stats(node.nodeId), [[s.id, s.lastActivityAt]])).toBe(true);
      expect((await store.session(s.id))!.lastActivityAt).toBe(s.lastActivityAt);
      expect(await store.nodeStats()).toEqual(expect.arrayContaining([stats(node.nodeId)]));
    });

    it('reaps, exactly once, the sessions of a node that stopped refreshing its liveness', async () => {
      const [dead, survivor, other] = [await presenceNode(onRedis), await presenceNode(onRedis), await presenceNode(onRedis)];
      const room = fresh('room');
      const gone = await dead.connect(fresh('user'));
      await dead.join(gone, room);
      const refreshedAt = Date.now();
      await (dead.store as RedisPresenceStore).heartbeat(100, stats(dead.nodeId), []);
      await waitFor(() => Date.now() > refreshedAt + 150, 2000);
      const reaped = await (survivor.store as RedisPresenceStore).reapDeadNodes();
      expect(reaped.filter((r) => r.node === dead.nodeId).map((r) => [r.record.id, r.record.rooms])).toEqual([[gone.id, [room]]]);
      expect((await (other.store as RedisPresenceStore).reapDeadNodes()).filter((r) => r.node === dead.nodeId)).toEqual([]);
      expect(await survivor.store.session(gone.id)).toBeUndefined();
      expect(await survivor.store.roomSize(room)).toBe(0);
      expect(await survivor.store.nodeStats()).not.toEqual(expect.arrayContaining([expect.objectContaining({ node: dead.nodeId })]));
    });
  });
}
