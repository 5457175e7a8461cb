/** Distinct `rooms` claims whose compiled permissions are kept for reuse (the cache is emptied when full). */
export const SHARED_PERMISSIONS_MAX = 1024;
const shared = new Map<string, RoomPermissions>();

/**
 * Room permissions from a token's `rooms` claim: patterns where `*` matches any run of
 * characters (`public:*`, `private:team-*`, `*`). Immutable, so sessions whose tokens carry the
 * same claim share one (`RoomPermissions.of`): most tokens carry one of a few claims, and a
 * compiled RegExp, its source and the pattern list cost ~180 bytes per idle connection otherwise.
 */
export class RoomPermissions {
  private readonly pattern: RegExp | null;

  /** The permissions for `patterns`, shared with every session whose claim lists the same patterns in the same order. */
  static of(patterns: readonly string[]): RoomPermissions {
    // JSON, not a join: a pattern may contain any separator, and ['a,b'] must not meet ['a', 'b'].
    const key = JSON.stringify(patterns);
    let permissions = shared.get(key);
    if (permissions === undefined) {
      if (shared.size >= SHARED_PERMISSIONS_MAX) shared.clear();
      permissions = new RoomPermissions(Object.freeze([...patterns]));
      shared.set(key, permissions);
    }
    return permissions;
  }

  constructor(readonly patterns: readonly string[]) {
    this.pattern =
      patterns.length === 0 ? null : new RegExp(`^(?:${patterns.map(toRegExpSource).join('|')})$`);
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
