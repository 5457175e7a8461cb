import { Injectable } from '@nestjs/common';

/** What identifies a token: its subject, and its `jti` when it has one. */
export interface TokenIdentity {
  userId: string;
  jti?: string;
}

export interface Revocation {
  userId?: string;
  jti?: string;
  /** Milliseconds since the epoch; the revocation ends then. */
  untilMs: number;
}

/**
 * Revoked users and token ids, each until a given time. The upgrade refuses their tokens while a
 * revocation lasts; the admin API closes their live sessions when it adds one. In memory, per node.
 */
@Injectable()
export class RevocationList {
  private readonly users = new Map<string, number>();
  private readonly tokenIds = new Map<string, number>();

  revoke({ userId, jti, untilMs }: Revocation): void {
    this.prune();
    if (userId !== undefined) extend(this.users, userId, untilMs);
    if (jti !== undefined) extend(this.tokenIds, jti, untilMs);
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

/** A second revocation of the same key never shortens the first. */
function extend(map: Map<string, number>, key: string, untilMs: number): void {
  map.set(key, Math.max(map.get(key) ?? 0, untilMs));
}
