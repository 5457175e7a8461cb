import type { StoreConnection } from '../redis/store-connection';
import { userTag } from '../redis/user-tag';
import { LeaseGrant, LeaseRequest, LeaseSource } from './leased-user-rate-limiter';

/** A user's shared bucket: one hash in the user's slot (`{u:<tag>}`, docs/scaling.md "Keys and hash slots"). */
export const userBucketKey = (userId: string): string => `rg:rl:{u:${userTag(userId)}}`;

/**
 * KEYS[1]: the user's bucket, a hash {t: tokens, ts: ms}. ARGV: rate per second, burst, want.
 * Refills by the time elapsed on Redis' clock (the nodes' clocks may disagree), grants up to `want`
 * whole tokens, and lets the key expire once it would be full again anyway. Returns {granted, whole
 * tokens left}.
 */
const GRANT = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local rate, burst, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens, ts = tonumber(state[1]), tonumber(state[2])
if not tokens then tokens, ts = burst, now end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
  ts = now
end
local grant = math.min(want, math.floor(tokens))
tokens = tokens - grant
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {grant, math.floor(tokens)}
`;

/**
 * The per-user buckets on Redis. One batch is one pipeline (one write, one round trip) on a single
 * server or Sentinel; on a Cluster each user's script goes to its own slot, all sent in the same
 * turn (ioredis writes them back to back; a pipeline may not span slots).
 */
export class RedisLeaseSource implements LeaseSource {
  constructor(
    private readonly redis: StoreConnection,
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {}

  async grant(requests: LeaseRequest[]): Promise<LeaseGrant[]> {
    const { command } = this.redis;
    const args = (r: LeaseRequest) => [GRANT, 1, userBucketKey(r.userId), this.ratePerSec, this.burst, r.want] as const;
    if (this.redis.mode === 'cluster') return Promise.all(requests.map(async (r) => toGrant(await command.eval(...args(r)))));
    const pipeline = command.pipeline();
    for (const r of requests) pipeline.eval(...args(r));
    const results = (await pipeline.exec()) ?? [];
    if (results.length !== requests.length) throw new Error('pipeline answered short');
    return results.map(([err, grant]) => {
      if (err) throw err;
      return toGrant(grant);
    });
  }
}

function toGrant(reply: unknown): LeaseGrant {
  const [granted, left] = reply as [number, number];
  return { granted: Number(granted), left: Number(left) };
}
