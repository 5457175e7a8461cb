/**
 * Room permissions from a token's `rooms` claim: patterns where `*` matches any run of
 * characters (`public:*`, `private:team-*`, `*`). Immutable, so sessions whose tokens carry the
 * same list share one instance: `RoomPermissions.of` compiles a list once, not once per handshake.
 */
export class RoomPermissions {
  /** Compiled lists by their JSON (unambiguous whatever the patterns hold). */
  private static readonly compiled = new Map<string, RoomPermissions>();
  /** Distinct lists kept; when full the cache starts over (tokens with per-user lists still work, uncached). */
  static readonly cacheSize = 1024;

  private readonly pattern: RegExp | null;

  constructor(readonly patterns: readonly string[]) {
    this.pattern =
      patterns.length === 0 ? null : new RegExp(`^(?:${patterns.map(toRegExpSource).join('|')})$`);
  }

  /** The permissions for `patterns`, compiled once per distinct list. */
  static of(patterns: readonly string[]): RoomPermissions {
    const key = JSON.stringify(patterns);
    let permissions = RoomPermissions.compiled.get(key);
    if (permissions === undefined) {
      if (RoomPermissions.compiled.size >= RoomPermissions.cacheSize) RoomPermissions.compiled.clear();
      // A copy: the cached instance must not follow later changes to the caller's array.
      permissions = new RoomPermissions(Object.freeze([...patterns]));
      RoomPermissions.compiled.set(key, permissions);
    }
    return permissions;
  }

  allows(room: string): boolean {
    return this.pattern !== null && this.pattern.test(room);
  }
}

function toRegExpSource(pattern: string): string {
  return pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
}
