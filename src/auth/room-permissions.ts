/**
 * Room permissions from a token's `rooms` claim: patterns where `*` matches any run of
 * characters (`public:*`, `private:team-*`, `*`). Compiled once per session.
 */
export class RoomPermissions {
  private readonly pattern: RegExp | null;

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
