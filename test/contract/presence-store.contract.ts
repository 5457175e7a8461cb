import type { WebSocket } from 'ws';
import type { RoomPermissions } from '../../src/auth/room-permissions';
import { PresenceStore, SessionRecord } from '../../src/presence/presence-store';
import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { Session } from '../../src/registry/session';
import type { TokenBucket } from '../../src/registry/token-bucket';
import { fresh } from './fresh';

/** A store for a node whose registry the caller keeps in step, as the gateway does. */
export type PresenceStoreFactory = (registry: ConnectionRegistryService, nodeId: string) => Promise<PresenceStore>;


/** A node as the gateway drives it: the registry first, then the store (awaited here). */
export async function presenceNode(factory: PresenceStoreFactory, nodeId = fresh('node')) {
  const registry = new ConnectionRegistryService();
  const store = await factory(registry, nodeId);
  return {
    nodeId,
    registry,
    store,
    async connect(userId: string, tokenId?: string): Promise<Session> {
      const session = new Session(fresh('session'), userId, {} as WebSocket, {} as RoomPermissions, {} as TokenBucket, '127.0.0.7', 2_000_000_000, Date.now() - 1000);
      session.tokenId = tokenId;
      registry.add(session);
      await store.connected(session);
      return session;
    },
    async join(session: Session, ...rooms: string[]): Promise<void> {
      for (const room of rooms) if (registry.join(session, room)) await store.joined(session, room);
    },
    async leave(session: Session, room: string): Promise<void> {
      if (registry.leave(session, room)) await store.left(session, room);
    },
    async disconnect(session: Session): Promise<void> {
      await store.disconnected(session, registry.remove(session));
    },
  };
}

const ids = (sessions: { id: string }[]) => sessions.map((s) => s.id);
const members = (...sessions: Session[]) => sessions.map((s) => ({ userId: s.userId, sessionId: s.id }));
const byId = <T extends { sessionId?: string; id?: string }>(items: T[]) => [...items].sort((a, b) => (a.sessionId ?? a.id ?? '').localeCompare(b.sessionId ?? b.id ?? ''));

/**
 * The PresenceStore contract (see presence-store.ts), for the sessions of one node:
 * - A connected session is described by session() (id, user, node, connectedAt, remoteAddress,
 *   tokenId, rooms by name, lastActivityAt, seq) and located by nodeOf(); an unknown one is undefined.
 * - members() lists each session in a room as {userId, sessionId}; roomSize() counts them; an
 *   unknown room has no members and size 0; leaving takes the session out of the room only.
 * - countForUser(), sessionCount() and totals() (distinct connections, users, rooms) follow
 *   connects, joins and disconnects.
 * - disconnected() takes the session out of everything: its rooms, its user's count, the lists.
 * - sessions() pages in connection order (increasing seq) after `afterSeq`, `limit` at a time,
 *   `next` the seq to continue after or null on the last page; user, room and node filters
 *   combine with AND.
 * - locate() finds the sessions of a user and/or of a token id (either matches), once each, with
 *   their node.
 * - rooms() lists rooms with members by name, filtered by prefix, after `after`, `limit` at a
 *   time, with their member count; a room whose last member left is not listed.
 */
export function describePresenceStoreContract(name: string, factory: PresenceStoreFactory): void {
  describe(`PresenceStore contract: ${name}`, () => {
    it('describes and locates a connected session, and forgets it when it disconnects', async () => {
      const node = await presenceNode(factory);
      const user = fresh('user');
      const s = await node.connect(user, fresh('jti'));
      await node.join(s, 'b-room', 'a-room');
      const record = (await node.store.session(s.id))!;
      expect(record).toEqual({
        id: s.id, userId: user, nodeId: node.nodeId, connectedAt: s.connectedAt, remoteAddress: '127.0.0.7', tokenId: s.tokenId,
        rooms: ['a-room', 'b-room'], lastActivityAt: s.connectedAt, seq: expect.any(Number),
      } satisfies SessionRecord);
      expect(await node.store.nodeOf(s.id)).toBe(node.nodeId);
      await node.disconnect(s);
      expect(await node.store.session(s.id)).toBeUndefined();
      expect(await node.store.nodeOf(s.id)).toBeUndefined();
      expect(await node.store.session(fresh('unknown'))).toBeUndefined();
    });

    it('lists and counts a room\'s members; leaving takes a session out of that room only', async () => {
      const node = await presenceNode(factory);
      const [room, other] = [fresh('room'), fresh('room')];
      const [a, b, c] = [await node.connect(fresh('user')), await node.connect(fresh('user')), await node.connect(fresh('user'))];
      await node.join(a, room, other);
      await node.join(b, room);
      await node.join(c, other);
      expect(byId(await node.store.members(room))).toEqual(byId(members(a, b)));
      expect(await node.store.roomSize(room)).toBe(2);
      await node.leave(a, room);
      expect(await node.store.members(room)).toEqual(members(b));
      expect(await node.store.roomSize(room)).toBe(1);
      expect(byId(await node.store.members(other))).toEqual(byId(members(a, c)));
      expect((await node.store.session(a.id))!.rooms).toEqual([other]);
      expect(await node.store.members(fresh('room'))).toEqual([]);
      expect(await node.store.roomSize(fresh('room'))).toBe(0);
    });

    it('counts sessions, per user and in total, and distinct users and rooms, through connects, joins and disconnects', async () => {
      const node = await presenceNode(factory);
      const [alice, bob] = [fresh('user'), fresh('user')];
      const before = { sessions: await node.store.sessionCount(), totals: await node.store.totals() };
      const a1 = await node.connect(alice);
      const a2 = await node.connect(alice);
      const b1 = await node.connect(bob);
      await node.join(a1, fresh('room'));
      await node.join(b1, fresh('room'));
      expect(await node.store.countForUser(alice)).toBe(2);
      expect(await node.store.sessionCount()).toBe(before.sessions + 3);
      expect(await node.store.totals()).toEqual({ connections: before.totals.connections + 3, users: before.totals.users + 2, rooms: before.totals.rooms + 2 });
      await node.disconnect(a1);
      await node.disconnect(b1);
      expect(await node.store.countForUser(alice)).toBe(1);
      expect(await node.store.countForUser(bob)).toBe(0);
      expect(await node.store.totals()).toEqual({ connections: before.totals.connections + 1, users: before.totals.users + 1, rooms: before.totals.rooms });
      await node.disconnect(a2);
      expect(await node.store.sessionCount()).toBe(before.sessions);
    });

    it('takes a disconnected session out of all its rooms', async () => {
      const node = await presenceNode(factory);
      const [room, other] = [fresh('room'), fresh('room')];
      const [a, b] = [await node.connect(fresh('user')), await node.connect(fresh('user'))];
      await node.join(a, room, other);
      await node.join(b, room);
      await node.disconnect(a);
      expect(await node.store.members(room)).toEqual(members(b));
      expect(await node.store.members(other)).toEqual([]);
      expect(await node.store.roomSize(other)).toBe(0);
      expect(await node.store.sessions({ room: other, afterSeq: 0, limit: 10 })).toEqual({ sessions: [], next: null });
    });

    it('pages sessions in connection order, with `next` the seq to continue after and null on the last page', async () => {
      const node = await presenceNode(factory);
      const user = fresh('user');
      const connected = [];
      for (let i = 0; i < 7; i++) connected.push(await node.connect(i === 3 ? fresh('user') : user));
      const first = (await node.store.session(connected[0].id))!.seq;
      const seen: SessionRecord[] = [];
      let after = first - 1;
      for (let page = 0; page < 10; page++) {
        const { sessions, next } = await node.store.sessions({ afterSeq: after, limit: 3 });
        seen.push(...sessions);
        if (next === null) break;
        expect(next).toBe(sessions[sessions.length - 1].seq);
        after = next;
      }
      expect(ids(seen)).toEqual(ids(connected));
      expect(seen.map((s) => s.seq)).toEqual([...seen.map((s) => s.seq)].sort((x, y) => x - y));
      expect(new Set(seen.map((s) => s.seq)).size).toBe(7);
      const mine = await node.store.sessions({ user, afterSeq: 0, limit: 6 });
      expect(mine).toEqual({ sessions: expect.any(Array), next: null });
      expect(ids(mine.sessions)).toEqual(ids(connected.filter((_, i) => i !== 3)));
      const firstTwo = await node.store.sessions({ user, afterSeq: 0, limit: 2 });
      expect(firstTwo.next).toBe(firstTwo.sessions[1].seq);
      expect(ids(firstTwo.sessions)).toEqual(ids(connected.slice(0, 2)));
    });

    it('combines the user, room and node filters with AND', async () => {
      const node = await presenceNode(factory);
      const [alice, bob, room] = [fresh('user'), fresh('user'), fresh('room')];
      const a1 = await node.connect(alice);
      const b1 = await node.connect(bob);
      const a2 = await node.connect(alice);
      await node.join(a2, room);
      await node.join(b1, room);
      await node.join(a1, fresh('room'));
      const query = { afterSeq: 0, limit: 10 };
      expect(ids((await node.store.sessions({ ...query, room })).sessions)).toEqual([b1.id, a2.id]);
      expect(ids((await node.store.sessions({ ...query, room, user: alice })).sessions)).toEqual([a2.id]);
      expect(ids((await node.store.sessions({ ...query, room, user: alice, node: node.nodeId })).sessions)).toEqual([a2.id]);
      expect(ids((await node.store.sessions({ ...query, user: alice, node: node.nodeId })).sessions)).toEqual([a1.id, a2.id]);
      expect(await node.store.sessions({ ...query, user: alice, node: fresh('other-node') })).toEqual({ sessions: [], next: null });
      expect(await node.store.sessions({ ...query, room, user: fresh('user') })).toEqual({ sessions: [], next: null });
      const paged = await node.store.sessions({ ...query, room, limit: 1 });
      expect([ids(paged.sessions), paged.next]).toEqual([[b1.id], paged.sessions[0].seq]);
      expect(ids((await node.store.sessions({ ...query, room, afterSeq: paged.next! })).sessions)).toEqual([a2.id]);
    });

    it('locates the sessions of a user or of a token id, once each, with their node', async () => {
      const node = await presenceNode(factory);
      const [alice, bob, jti] = [fresh('user'), fresh('user'), fresh('jti')];
      const a1 = await node.connect(alice, jti);
      const a2 = await node.connect(alice);
      const b1 = await node.connect(bob, jti);
      await node.connect(fresh('user'), fresh('jti'));
      const at = (...sessions: Session[]) => byId(sessions.map((s) => ({ id: s.id, nodeId: node.nodeId })));
      expect(byId(await node.store.locate({ userId: alice }))).toEqual(at(a1, a2));
      expect(byId(await node.store.locate({ jti }))).toEqual(at(a1, b1));
      expect(byId(await node.store.locate({ userId: alice, jti }))).toEqual(at(a1, a2, b1));
      expect(await node.store.locate({ userId: fresh('user'), jti: fresh('jti') })).toEqual([]);
      await node.disconnect(a1);
      expect(byId(await node.store.locate({ userId: alice, jti }))).toEqual(at(a2, b1));
    });

    it('lists rooms with members by name, by prefix, after a cursor, with their member counts', async () => {
      const node = await presenceNode(factory);
      const prefix = `${fresh('rooms')}:`;
      const [a, b] = [await node.connect(fresh('user')), await node.connect(fresh('user'))];
      await node.join(a, `${prefix}c`, `${prefix}a`, `${prefix}b`, `${fresh('elsewhere')}:a`);
      await node.join(b, `${prefix}b`, `${prefix}d`);
      const first = await node.store.rooms(prefix, '', 2);
      expect(first).toEqual({ items: [{ room: `${prefix}a`, members: 1 }, { room: `${prefix}b`, members: 2 }], next: `${prefix}b` });
      expect(await node.store.rooms(prefix, first.next!, 2)).toEqual({ items: [{ room: `${prefix}c`, members: 1 }, { room: `${prefix}d`, members: 1 }], next: null });
      expect(await node.store.rooms(prefix, `${prefix}b`, 10)).toEqual({ items: [{ room: `${prefix}c`, members: 1 }, { room: `${prefix}d`, members: 1 }], next: null });
      await node.leave(b, `${prefix}d`);
      await node.disconnect(a);
      expect(await node.store.rooms(prefix, '', 10)).toEqual({ items: [{ room: `${prefix}b`, members: 1 }], next: null });
      expect((await node.store.rooms('', '', 100_000)).items).toEqual(expect.arrayContaining([{ room: `${prefix}b`, members: 1 }]));
    });
  });
}
