import { randomBytes } from 'node:crypto';
import type { StoreConnection } from '../redis/store-connection';
import { orUnavailable } from '../redis/store-failure';
import { userTag } from '../redis/user-tag';
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

/** KEYS: ticket key, the user's outstanding tickets. ARGV: ticket. Takes the ticket (single use) and frees its place in the user's cap. */
const REDEEM = `
local value = redis.call('GETDEL', KEYS[1])
if value then redis.call('ZREM', KEYS[2], ARGV[1]) end
return value`;

/**
 * A ticket is 43 base64url characters, as everywhere: a user tag (11: 66 bits of SHA-256 of the
 * user id, src/redis/user-tag.ts) then the secret (32: 192 random bits). The tag is the hash tag of the user's keys, so
 * redeem() knows both keys before it reads the ticket, and each script touches one slot on a Redis
 * Cluster. It stands for the user in the per-user cap without showing the user id in the URLs and
 * logs a ticket passes through.
 */
const TICKET = /^([\w-]{11})([\w-]{32})$/;
const ticketKey = (tag: string, secret: string) => `rg:tk:{u:${tag}}:${secret}`;
const outstandingKey = (tag: string) => `rg:tko:{u:${tag}}`;

/** Redis unreachable: the ticket was neither issued nor judged (the callers answer 503). */
const unavailable = (err: unknown) => new TicketStoreUnavailableError(err instanceof Error ? err.message : String(err));

/**
 * Tickets shared by every node: one issued by node A is redeemed on node B (no sticky sessions
 * behind Nginx). A ticket is a key that expires by itself; GETDEL makes it single-use across nodes.
 * Each user's unredeemed tickets are listed (rg:tko:{u:<tag>}) for the per-user cap.
 */
export class RedisTicketStore implements TicketStore {
  constructor(private readonly redis: StoreConnection) {}

  async issue(identity: Identity, ttlMs: number): Promise<string> {
    const tag = userTag(identity.userId);
    const secret = randomBytes(24).toString('base64url');
    const ticket = tag + secret;
    // A ticket never outlives the token it was exchanged for.
    const px = Math.min(ttlMs, identity.exp * 1000 - Date.now());
    if (px <= 0) return ticket; // redeem() will not know it: the same answer as for an expired one
    const stored = await orUnavailable(
      () => this.redis.command.eval(ISSUE, 2, ticketKey(tag, secret), outstandingKey(tag), JSON.stringify(identity), px, MAX_TICKETS_PER_USER, ticket),
      unavailable,
    );
    if (stored !== 1) throw new TicketLimitError('user');
    return ticket;
  }

  async redeem(ticket: string): Promise<Identity | undefined> {
    const [, tag, secret] = TICKET.exec(ticket) ?? [];
    // Not one of ours (or issued before tickets carried the tag): the answer for an unknown ticket.
    if (tag === undefined || secret === undefined) return undefined;
    const value = (await orUnavailable(() => this.redis.command.eval(REDEEM, 2, ticketKey(tag, secret), outstandingKey(tag), ticket), unavailable)) as string | null;
    return value ? (JSON.parse(value) as Identity) : undefined;
  }
}

