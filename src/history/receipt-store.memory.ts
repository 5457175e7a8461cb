import type { ReceiptState } from '../protocol';
import { receiptKey, ReceiptStore } from './receipt-store';

/**
 * Markers kept at most: about 200 bytes each with a short user id, so ~20 MB. Only a repeat that
 * comes after its marker was pushed out is forwarded twice; repeats mostly come within seconds.
 */
export const MAX_RECEIPT_MARKERS = 100_000;

/**
 * The markers in this process (one node). Every marker lives the same ttlMs, so the Map's
 * insertion order is also their expiry order: expired ones and those over `maxEntries` leave from
 * its front, at each claim, with no timer.
 */
export class InMemoryReceiptStore implements ReceiptStore {
  /** key -> expiry (ms). */
  private readonly markers = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = MAX_RECEIPT_MARKERS,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(recipient: string, messageId: string, state: ReceiptState): Promise<boolean> {
    const now = this.now();
    this.expire(now);
    const key = receiptKey(recipient, messageId, state);
    if (this.markers.has(key)) return false;
    this.markers.set(key, now + this.ttlMs);
    for (const oldest of this.markers.keys()) {
      if (this.markers.size <= this.maxEntries) break;
      this.markers.delete(oldest);
    }
    return true;
  }

  async release(recipient: string, messageId: string, state: ReceiptState): Promise<void> {
    this.markers.delete(receiptKey(recipient, messageId, state));
  }

  get size(): number {
    return this.markers.size;
  }

  private expire(now: number): void {
    for (const [key, expiresAt] of this.markers) {
      if (expiresAt > now) break;
      this.markers.delete(key);
    }
  }
}
