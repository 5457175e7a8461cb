import { RoomPermissions } from './room-permissions';

interface Case {
  patterns: string[];
  room: string;
  allowed: boolean;
}

describe('RoomPermissions', () => {
  it.each<Case>([
    // prefix wildcards
    { patterns: ['public:*'], room: 'public:lobby', allowed: true },
    { patterns: ['public:*'], room: 'public:', allowed: true }, // `*` matches the empty run too
    { patterns: ['public:*'], room: 'public:a:b:c', allowed: true },
    { patterns: ['public:*'], room: 'private:lobby', allowed: false },
    { patterns: ['public:*'], room: 'xpublic:lobby', allowed: false }, // anchored at the start
    { patterns: ['public:*'], room: 'public', allowed: false },
    { patterns: ['public:*'], room: 'PUBLIC:lobby', allowed: false }, // case-sensitive
    { patterns: ['private:team-*'], room: 'private:team-red', allowed: true },
    { patterns: ['private:team-*'], room: 'private:team-', allowed: true },
    { patterns: ['private:team-*'], room: 'private:team', allowed: false },
    { patterns: ['private:team-*'], room: 'private:teams', allowed: false },
    { patterns: ['private:team-*'], room: 'private:other-red', allowed: false },
    // everything
    { patterns: ['*'], room: 'anything:at-all', allowed: true },
    { patterns: ['*'], room: '', allowed: true },
    // exact names are anchored at both ends
    { patterns: ['lobby'], room: 'lobby', allowed: true },
    { patterns: ['lobby'], room: 'lobby2', allowed: false },
    { patterns: ['lobby'], room: 'the-lobby', allowed: false },
    { patterns: ['lobby'], room: 'Lobby', allowed: false },
    // `*` in the middle and several of them
    { patterns: ['team-*:chat'], room: 'team-red:chat', allowed: true },
    { patterns: ['team-*:chat'], room: 'team-red:chat2', allowed: false },
    { patterns: ['*:*:x'], room: 'a:b:x', allowed: true },
    { patterns: ['*:*:x'], room: 'a:x', allowed: false },
    // several patterns: any of them
    { patterns: ['lobby', 'public:*'], room: 'lobby', allowed: true },
    { patterns: ['lobby', 'public:*'], room: 'public:news', allowed: true },
    { patterns: ['lobby', 'public:*'], room: 'private:news', allowed: false },
  ])('$patterns allows "$room": $allowed', ({ patterns, room, allowed }) => {
    expect(new RoomPermissions(patterns).allows(room)).toBe(allowed);
  });

  describe('regular-expression characters in patterns are literal', () => {
    it.each<Case>([
      { patterns: ['a.b'], room: 'a.b', allowed: true },
      { patterns: ['a.b'], room: 'aXb', allowed: false },
      { patterns: ['a+'], room: 'a+', allowed: true },
      { patterns: ['a+'], room: 'aa', allowed: false },
      { patterns: ['a?'], room: 'a?', allowed: true },
      { patterns: ['a?'], room: '', allowed: false },
      { patterns: ['(a|b)'], room: '(a|b)', allowed: true },
      { patterns: ['(a|b)'], room: 'a', allowed: false },
      { patterns: ['a|b'], room: 'a', allowed: false }, // no alternation escaping the group
      { patterns: ['a|b'], room: 'a|b', allowed: true },
      { patterns: ['[ab]'], room: 'a', allowed: false },
      { patterns: ['[ab]'], room: '[ab]', allowed: true },
      { patterns: ['^a$'], room: 'a', allowed: false },
      { patterns: ['^a$'], room: '^a$', allowed: true },
      { patterns: ['a{2}'], room: 'aa', allowed: false },
      { patterns: ['a{2}'], room: 'a{2}', allowed: true },
      { patterns: ['a\\d'], room: 'a1', allowed: false },
      { patterns: ['a\\d'], room: 'a\\d', allowed: true },
      { patterns: ['.*'], room: 'anything', allowed: false }, // `.` is literal, only `*` is a wildcard
      { patterns: ['.*'], room: '.anything', allowed: true },
      { patterns: ['x.*'], room: 'x.y', allowed: true },
      { patterns: ['x.*'], room: 'xy', allowed: false },
    ])('$patterns allows "$room": $allowed', ({ patterns, room, allowed }) => {
      expect(new RoomPermissions(patterns).allows(room)).toBe(allowed);
    });
  });

  it.each(['', 'public:lobby', 'anything', '*'])('an empty pattern list allows nothing ("%s")', (room) => {
    expect(new RoomPermissions([]).allows(room)).toBe(false);
  });

  it('keeps the patterns it was built from', () => {
    expect(new RoomPermissions(['public:*', 'lobby']).patterns).toEqual(['public:*', 'lobby']);
  });

  it('gives the same answer on repeated calls (no stateful global regex)', () => {
    const permissions = new RoomPermissions(['public:*']);
    expect([1, 2, 3].map(() => permissions.allows('public:a'))).toEqual([true, true, true]);
  });

  describe('of (shared per claim)', () => {
    it('gives sessions with the same claim one instance, which judges like a fresh one', () => {
      const a = RoomPermissions.of(['public:*', 'team-1']);
      expect(RoomPermissions.of(['public:*', 'team-1'])).toBe(a);
      expect(a.allows('public:x')).toBe(true);
      expect(a.allows('team-1')).toBe(true);
      expect(a.allows('team-2')).toBe(false);
    });

    it('keeps claims apart whatever their patterns contain', () => {
      const joined = RoomPermissions.of(['a,b']);
      const split = RoomPermissions.of(['a', 'b']);
      expect(split).not.toBe(joined);
      expect(joined.allows('a')).toBe(false);
      expect(split.allows('a')).toBe(true);
      expect(RoomPermissions.of(['a\nb'])).not.toBe(RoomPermissions.of(['a', 'b']));
      expect(RoomPermissions.of([]).allows('a')).toBe(false);
    });

    it('is not changed by the caller changing its array afterwards', () => {
      const claim = ['own:*'];
      const permissions = RoomPermissions.of(claim);
      claim[0] = '*';
      expect(permissions.allows('other')).toBe(false);
      expect(RoomPermissions.of(['own:*'])).toBe(permissions);
    });
  });
});
