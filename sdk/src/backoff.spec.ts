import { describe, expect, it } from '@jest/globals';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('draws retry n between minMs/2 and min(maxMs, minMs * 2^n)', () => {
    const low = new Backoff({ minMs: 500, maxMs: 20_000 }, () => 0);
    const high = new Backoff({ minMs: 500, maxMs: 20_000 }, () => 1);
    const lows = Array.from({ length: 9 }, () => low.next());
    const highs = Array.from({ length: 9 }, () => high.next());
    expect(lows).toEqual(Array(9).fill(250));
    expect(highs).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 20_000, 20_000, 20_000]);
  });

  it('uses the defaults 500 / 20000', () => {
    const backoff = new Backoff({}, () => 1);
    expect([backoff.minMs, backoff.maxMs]).toEqual([500, 20_000]);
    expect(backoff.next()).toBe(500);
  });

  it('spreads delays over the whole window (jitter), with Math.random', () => {
    const delays = Array.from({ length: 400 }, () => {
      const backoff = new Backoff({ minMs: 1000, maxMs: 60_000 });
      for (let i = 0; i < 4; i++) backoff.next();
      return backoff.next(); // retry 4: window [500, 16000]
    });
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...delays)).toBeLessThanOrEqual(16_000);
    // 400 uniform draws: each quarter of the window is hit, and the values are not all alike
    const quarters = new Set(delays.map((d) => Math.min(3, Math.floor(((d - 500) / 15_500) * 4))));
    expect(quarters).toEqual(new Set([0, 1, 2, 3]));
    expect(new Set(delays).size).toBeGreaterThan(300);
  });

  it('restarts from the first window after reset()', () => {
    const backoff = new Backoff({ minMs: 100, maxMs: 10_000 }, () => 1);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 400]);
    expect(backoff.attempts).toBe(3);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(100);
  });

  it('never overflows after many attempts', () => {
    const backoff = new Backoff({ minMs: 500, maxMs: 20_000 }, () => 1);
    for (let i = 0; i < 5000; i++) backoff.next();
    expect(backoff.next()).toBe(20_000);
  });

  it.each([
    [{ minMs: 0 }],
    [{ minMs: -1 }],
    [{ minMs: 1000, maxMs: 999 }],
    [{ minMs: Number.NaN }],
    [{ maxMs: Number.POSITIVE_INFINITY }],
  ])('refuses %j', (options) => {
    expect(() => new Backoff(options)).toThrow(RangeError);
  });
});
