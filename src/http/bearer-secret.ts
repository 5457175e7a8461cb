import { createHash, timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer <token>` header (scheme name case-insensitive). */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares presented secrets with a configured one in constant time (the digests have equal length). */
export class BearerSecret {
  private readonly expected?: Buffer;

  constructor(secret: string | undefined) {
    this.expected = secret === undefined ? undefined : digest(secret);
  }

  get configured(): boolean {
    return this.expected !== undefined;
  }

  matches(presented: string | undefined): boolean {
    return this.expected !== undefined && presented !== undefined && timingSafeEqual(digest(presented), this.expected);
  }
}
