import { Injectable } from '@nestjs/common';
import type { Revocation } from './revocation-store';

/** What identifies a token: its subject, and its `jti` when it has one. */
export interface TokenIdentity {
  userId: string;
  jti?: string;
}

/**
 * Revoked users and token ids, each until a given time: this node's synchronous lookup. The
 * upgrade refuses their tokens while a revocation lasts. RevocationService fills it on
 * every node from the revocation store and the bus, and closes the live sessions.
 */
@Injectable()
export class RevokedTokens {
  private readonly users = new Map<string, number>();
  private readonly tokenIds = new Map<string, number>();

  /** Returns true when this revoked something that was not, or for longer. */
  revoke({ userId, jti, untilMs }: Revocation): boolean {
    this.prune();
    if (untilMs <= Date.now()) return false;
    const users = userId !== undefined && extend(this.users, userId, untilMs);
    const tokenIds = jti !== undefined && extend(this.tokenIds, jti, untilMs);
    return users || tokenIds;
  }

  /** Two Map lookups: cheap enough for every upgrade. */
  isRevoked(identity: TokenIdentity): boolean {
    const now = Date.now();
    return (this.users.get(identity.userId) ?? 0) > now || (identity.jti !== undefined && (this.tokenIds.get(identity.jti) ?? 0) > now);
  }

  /** The revocations in force. */
  active(): Revocation[] {
    this.prune();
    return [
      ...[...this.users].map(([userId, untilMs]) => ({ userId, untilMs })),
      ...[...this.tokenIds].map(([jti, untilMs]) => ({ jti, untilMs })),
    ];
  }

  /** Expired entries go when revocations are added or listed, so the Maps only hold live ones. */
  private prune(): void {
    const now = Date.now();
    for (const map of [this.users, this.tokenIds]) {
      for (const [key, untilMs] of map) if (untilMs <= now) map.delete(key);
    }
  }
}

/** A second revocation of the same key never shortens the first. Returns true when it lengthened it. */
function extend(map: Map<string, number>, key: string, untilMs: number): boolean {
  if ((map.get(key) ?? 0) >= untilMs) return false;
  map.set(key, untilMs);
  return true;
}
