import { randomBytes } from 'node:crypto';
import type { RedisClients } from '../redis/redis-clients';
import { orUnavailable } from '../redis/store-failure';
import { MAX_TICKETS_PER_USER, TicketLimitError, TicketStore, TicketStoreUnavailableError } from './ticket-store';
import type { Identity } from './token-verifier';

/**
 * KEYS: ticket key, the user's outstanding tickets (zset ticket -> expiry, on Redis's clock).
 * ARGV: identity JSON, ttl ms, per-user cap, ticket. Forgets the user's expired tickets, then
 * stores the ticket, or refuses (0) without storing or counting when the user holds the cap.
 */
const ISSUE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[4])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1`;

/** KEYS: ticket key. ARGV: ticket. Takes the ticket (single use) and frees its slot in the user's cap. */
const REDEEM = `
local value = redis.call('GETDEL', KEYS[1])
if value then redis.call('ZREM', 'rg:tko:' .. cjson.decode(value).userId, ARGV[1]) end
return value`;

/** Redis unreachable: the ticket was neither issued nor judged (the callers answer 503). */
const unavailable = (err: unknown) => new TicketStoreUnavailableError(err instanceof Error ? err.message : String(err));

/**
 * Tickets shared by every node: one issued by node A is redeemed on node B (no sticky sessions
 * behind Nginx). A ticket is a key that expires by itself; GETDEL makes it single-use across nodes.
 * Each user's unredeemed tickets are listed (rg:tko:<user>) for the per-user cap.
 */
export class RedisTicketStore implements TicketStore {
  constructor(private readonly redis: RedisClients) {}

  async issue(identity: Identity, ttlMs: number): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    // A ticket never outlives the token it was exchanged for.
    const px = Math.min(ttlMs, identity.exp * 1000 - Date.now());
    if (px <= 0) return ticket; // redeem() will not know it: the same answer as for an expired one
    const stored = await orUnavailable(
      () => this.redis.command.eval(ISSUE, 2, `rg:tk:${ticket}`, `rg:tko:${identity.userId}`, JSON.stringify(identity), px, MAX_TICKETS_PER_USER, ticket),
      unavailable,
    );
    if (stored !== 1) throw new TicketLimitError('user');
    return ticket;
  }

  async redeem(ticket: string): Promise<Identity | undefined> {
    const value = (await orUnavailable(() => this.redis.command.eval(REDEEM, 1, `rg:tk:${ticket}`, ticket), unavailable)) as string | null;
    return value ? (JSON.parse(value) as Identity) : undefined;
  }
}

