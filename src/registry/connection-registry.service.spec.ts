import { RoomPermissions } from '../auth/room-permissions';
import { ConnectionRegistryService } from './connection-registry.service';
import { Session } from './session';
import { TokenBucket } from './token-bucket';

// The registry never touches the socket: a bare object stands in for it.
const fakeSocket = {} as Session['socket'];

function session(id: string, userId: string): Session {
  return new Session(id, userId, fakeSocket, new RoomPermissions(['*']), new TokenBucket(10, 10, 0), '127.0.0.1', 0, 0);
}

/** The registry's indexes as plain data, to compare whole states. */
function snapshot(registry: ConnectionRegistryService) {
  const ids = (set: ReadonlySet<Session>) => [...set].map((s) => s.id).sort();
  const rooms = [...registry.roomNames()].sort();
  const users = [...new Set([...registry.all()].map((s) => s.userId))].sort();
  return {
    sessions: [...registry.all()].map((s) => s.id).sort(),
    rooms: Object.fromEntries(rooms.map((room) => [room, ids(registry.inRoom(room))])),
    users: Object.fromEntries(users.map((user) => [user, ids(registry.ofUser(user))])),
    size: registry.size,
    roomCount: registry.roomCount,
    userCount: registry.userCount,
  };
}

describe('ConnectionRegistryService', () => {
  let registry: ConnectionRegistryService;
  let a1: Session; // alice, first tab
  let a2: Session; // alice, second tab
  let b1: Session; // bob

  beforeEach(() => {
    registry = new ConnectionRegistryService();
    a1 = session('s-a1', 'alice');
    a2 = session('s-a2', 'alice');
    b1 = session('s-b1', 'bob');
  });

  it('numbers sessions in registration order (seq), never reusing a number', () => {
    registry.add(a1);
    registry.add(b1);
    registry.remove(a1);
    registry.add(a2);
    expect([a1.seq, b1.seq, a2.seq]).toEqual([1, 2, 3]);
    expect([...registry.all()].map((s) => s.seq)).toEqual([2, 3]);
  });

  it('starts empty', () => {
    expect(snapshot(registry)).toEqual({ sessions: [], rooms: {}, users: {}, size: 0, roomCount: 0, userCount: 0 });
    expect(registry.get('s-a1')).toBeUndefined();
    expect(registry.inRoom('lobby').size).toBe(0);
    expect(registry.ofUser('alice').size).toBe(0);
  });

  it('add indexes the session by id and by user', () => {
    registry.add(a1);
    registry.add(a2);
    registry.add(b1);
    expect(registry.get('s-a1')).toBe(a1);
    expect(registry.get('s-b1')).toBe(b1);
    expect(snapshot(registry)).toEqual({
      sessions: ['s-a1', 's-a2', 's-b1'],
      rooms: {},
      users: { alice: ['s-a1', 's-a2'], bob: ['s-b1'] },
      size: 3,
      roomCount: 0,
      userCount: 2,
    });
  });

  it('join adds to the room index and the session, once', () => {
    registry.add(a1);
    registry.add(b1);
    expect(registry.join(a1, 'lobby')).toBe(true);
    expect(registry.join(b1, 'lobby')).toBe(true);
    expect(registry.join(a1, 'news')).toBe(true);
    expect(registry.join(a1, 'lobby')).toBe(false); // already in
    expect([...a1.rooms].sort()).toEqual(['lobby', 'news']);
    expect(snapshot(registry).rooms).toEqual({ lobby: ['s-a1', 's-b1'], news: ['s-a1'] });
    expect(registry.roomCount).toBe(2);
  });

  it('leave removes from the room; the room disappears with its last member', () => {
    registry.add(a1);
    registry.add(b1);
    registry.join(a1, 'lobby');
    registry.join(b1, 'lobby');

    expect(registry.leave(a1, 'lobby')).toBe(true);
    expect(snapshot(registry).rooms).toEqual({ lobby: ['s-b1'] });
    expect(a1.rooms.size).toBe(0);

    expect(registry.leave(b1, 'lobby')).toBe(true);
    expect(snapshot(registry).rooms).toEqual({});
    expect(registry.roomCount).toBe(0);
    expect([...registry.roomNames()]).toEqual([]);
  });

  it.each<{ name: string; setup: (r: ConnectionRegistryService, s: Session) => void }>([
    { name: 'a room never joined', setup: () => undefined },
    { name: 'a room left already', setup: (r, s) => (r.join(s, 'lobby'), r.leave(s, 'lobby')) },
    { name: 'a room only another session joined', setup: (r) => r.join(b1, 'lobby') },
  ])('leave returns false for $name and changes nothing', ({ setup }) => {
    registry.add(a1);
    registry.add(b1);
    setup(registry, a1);
    const before = snapshot(registry);
    expect(registry.leave(a1, 'lobby')).toBe(false);
    expect(snapshot(registry)).toEqual(before);
  });

  it('remove returns the rooms, and clears the session from every index', () => {
    registry.add(a1);
    registry.add(a2);
    registry.add(b1);
    registry.join(a1, 'lobby');
    registry.join(a1, 'news');
    registry.join(b1, 'lobby');

    expect(registry.remove(a1).sort()).toEqual(['lobby', 'news']);
    expect(a1.rooms.size).toBe(0);
    expect(registry.get('s-a1')).toBeUndefined();
    expect(snapshot(registry)).toEqual({
      sessions: ['s-a2', 's-b1'],
      rooms: { lobby: ['s-b1'] }, // news emptied and disappeared
      users: { alice: ['s-a2'], bob: ['s-b1'] }, // alice still has a session
      size: 2,
      roomCount: 1,
      userCount: 2,
    });
  });

  it('a user disappears with their last session', () => {
    registry.add(a1);
    registry.add(a2);
    registry.remove(a1);
    expect(registry.ofUser('alice').size).toBe(1);
    expect(registry.userCount).toBe(1);
    registry.remove(a2);
    expect(registry.ofUser('alice').size).toBe(0);
    expect(registry.userCount).toBe(0);
  });

  it('remove of a session in no room returns []', () => {
    registry.add(b1);
    expect(registry.remove(b1)).toEqual([]);
    expect(snapshot(registry)).toEqual({ sessions: [], rooms: {}, users: {}, size: 0, roomCount: 0, userCount: 0 });
  });

  it('remove twice is harmless: the second returns [] and changes nothing', () => {
    registry.add(a1);
    registry.add(b1);
    registry.join(a1, 'lobby');
    registry.join(b1, 'lobby');
    expect(registry.remove(a1)).toEqual(['lobby']);
    const after = snapshot(registry);
    expect(registry.remove(a1)).toEqual([]);
    expect(snapshot(registry)).toEqual(after);
    expect(after.rooms).toEqual({ lobby: ['s-b1'] });
  });

  it('remove of a session never added changes nothing', () => {
    registry.add(b1);
    registry.join(b1, 'lobby');
    const before = snapshot(registry);
    expect(registry.remove(a1)).toEqual([]);
    expect(snapshot(registry)).toEqual(before);
  });

  it('after remove, join and leave on the stale session start from no rooms', () => {
    registry.add(a1);
    registry.join(a1, 'lobby');
    registry.remove(a1);
    expect(registry.leave(a1, 'lobby')).toBe(false);
    expect(registry.roomCount).toBe(0);
  });

  it('keeps the indexes consistent through a sequence of operations', () => {
    const sessions = [a1, a2, b1];
    sessions.forEach((s) => registry.add(s));
    const rooms = ['r1', 'r2', 'r3'];
    // a deterministic interleaving of joins, leaves and removals
    for (let step = 0; step < 60; step++) {
      const s = sessions[step % 3];
      const room = rooms[(step * 7) % 3];
      if (step % 4 === 3) registry.leave(s, room);
      else registry.join(s, room);
    }
    registry.remove(a2);

    // every room index entry matches the sessions' own room sets, and no room is empty
    for (const room of registry.roomNames()) {
      const members = registry.inRoom(room);
      expect(members.size).toBeGreaterThan(0);
      for (const member of members) expect(member.rooms.has(room)).toBe(true);
    }
    for (const s of registry.all()) {
      for (const room of s.rooms) expect(registry.inRoom(room).has(s)).toBe(true);
      expect(registry.ofUser(s.userId).has(s)).toBe(true);
    }
    expect(a2.rooms.size).toBe(0);
    expect([...registry.roomNames()].some((room) => registry.inRoom(room).has(a2))).toBe(false);
  });
});
