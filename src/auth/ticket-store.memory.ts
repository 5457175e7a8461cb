import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MAX_TICKETS_PER_USER, TicketLimitError, TicketStore } from './ticket-store';
import type { Identity } from './token-verifier';

interface Entry {
  identity: Identity;
  expiresAt: number;
}

/**
 * One node's tickets in a Map. Every ticket lives TICKET_TTL_MS or less, so insertion order is
 * (nearly) expiry order and expired ones are pruned from the front on each call: no timer, and
 * memory bounded by the caps below.
 */
@Injectable()
export class InMemoryTicketStore implements TicketStore {
  static maxOutstanding = 100_000;
  static maxPerUser = MAX_TICKETS_PER_USER;
  private readonly tickets = new Map<string, Entry>();
  private readonly perUser = new Map<string, number>();
  /** Replaceable in unit tests. */
  now: () => number = Date.now;

  get size(): number {
    return this.tickets.size;
  }

  async issue(identity: Identity, ttlMs: number): Promise<string> {
    const now = this.now();
    this.prune(now);
    if (this.tickets.size >= InMemoryTicketStore.maxOutstanding) throw new TicketLimitError('node');
    const count = this.perUser.get(identity.userId) ?? 0;
    if (count >= InMemoryTicketStore.maxPerUser) throw new TicketLimitError('user');
    const ticket = randomBytes(32).toString('base64url');
    // A ticket never outlives the token it was exchanged for.
    this.tickets.set(ticket, { identity, expiresAt: Math.min(now + ttlMs, identity.exp * 1000) });
    this.perUser.set(identity.userId, count + 1);
    return ticket;
  }

  async redeem(ticket: string): Promise<Identity | undefined> {
    const now = this.now();
    this.prune(now);
    const entry = this.tickets.get(ticket);
    if (!entry) return undefined;
    this.remove(ticket, entry);
    return entry.expiresAt > now ? entry.identity : undefined;
  }

  private prune(now: number): void {
    for (const [ticket, entry] of this.tickets) {
      if (entry.expiresAt > now) break;
      this.remove(ticket, entry);
    }
  }

  private remove(ticket: string, entry: Entry): void {
    this.tickets.delete(ticket);
    const count = (this.perUser.get(entry.identity.userId) ?? 1) - 1;
    if (count > 0) this.perUser.set(entry.identity.userId, count);
    else this.perUser.delete(entry.identity.userId);
  }
}
