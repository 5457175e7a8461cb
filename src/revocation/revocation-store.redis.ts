import type { StoreConnection } from '../redis/store-connection';
import { Revocation, RevocationStore } from './revocation-store';

const USERS = 'rg:rev:users';
const TOKEN_IDS = 'rg:rev:jti';

/**
 * KEYS[1]: a zset of revoked keys -> until (ms). ARGV: key, until, now. Prunes what ended, never
 * shortens a revocation (ZADD GT), and lets the whole zset expire with its last revocation.
 */
const ADD = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return 1
`;

/** Revocations on Redis: one entry per user or token id, gone when its `until` passes. */
export class RedisRevocationStore implements RevocationStore {
  readonly sharedAcrossNodes = true;

  constructor(private readonly redis: StoreConnection) {}

  async add({ userId, jti, untilMs }: Revocation): Promise<void> {
    const now = Date.now();
    if (userId !== undefined) await this.redis.command.eval(ADD, 1, USERS, userId, untilMs, now);
    if (jti !== undefined) await this.redis.command.eval(ADD, 1, TOKEN_IDS, jti, untilMs, now);
  }

  async active(): Promise<Revocation[]> {
    const now = Date.now();
    const [users, tokenIds] = await Promise.all([
      this.redis.command.zrangebyscore(USERS, `(${now}`, '+inf', 'WITHSCORES'),
      this.redis.command.zrangebyscore(TOKEN_IDS, `(${now}`, '+inf', 'WITHSCORES'),
    ]);
    const pairs = (flat: string[]) => flat.flatMap((key, i) => (i % 2 === 0 ? [[key, Number(flat[i + 1])] as const] : []));
    return [...pairs(users).map(([userId, untilMs]) => ({ userId, untilMs })), ...pairs(tokenIds).map(([jti, untilMs]) => ({ jti, untilMs }))];
  }
}
