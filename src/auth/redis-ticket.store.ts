import { randomBytes } from 'node:crypto';
import type { RedisClients } from '../redis/redis-clients';
import { TicketLimitError, TicketStore, TicketStoreUnavailableError } from './ticket-store';
import type { Identity } from './token-verifier';

/** Issues for one user within TICKET_TTL_MS: a window counter, not decremented by redeem(). */
export const MAX_TICKETS_PER_USER_WINDOW = 32;

/**
 * KEYS: ticket key, the user's window counter. ARGV: identity JSON, ttl ms, per-user cap.
 * Counts the issue in the user's window (which lasts as long as the newest ticket) and stores the
 * ticket, or refuses (0) without storing when the window is full.
 */
const ISSUE = `
local n = redis.call('INCR', KEYS[2])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
if n > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * Tickets shared by every node: one issued by node A is redeemed on node B (no sticky sessions
 * behind Nginx). A ticket is a key that expires by itself; GETDEL makes it single-use across nodes.
 */
export class RedisTicketStore implements TicketStore {
  constructor(private readonly redis: RedisClients) {}

  async issue(identity: Identity, ttlMs: number): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    // A ticket never outlives the token it was exchanged for.
    const px = Math.min(ttlMs, identity.exp * 1000 - Date.now());
    if (px <= 0) return ticket; // redeem() will not know it: the same answer as for an expired one
    const stored = await this.unavailableOnFailure(
      this.redis.command.eval(ISSUE, 2, `rg:tk:${ticket}`, `rg:tku:${identity.userId}`, JSON.stringify(identity), px, MAX_TICKETS_PER_USER_WINDOW),
    );
    if (stored !== 1) throw new TicketLimitError('user');
    return ticket;
  }

  async redeem(ticket: string): Promise<Identity | undefined> {
    const value = await this.unavailableOnFailure(this.redis.command.getdel(`rg:tk:${ticket}`));
    return value ? (JSON.parse(value) as Identity) : undefined;
  }

  private async unavailableOnFailure<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (err) {
      throw new TicketStoreUnavailableError(err instanceof Error ? err.message : String(err));
    }
  }
}
