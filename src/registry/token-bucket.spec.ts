import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refuses until tokens refill at the configured rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true); // 10/s: one token per 100 ms
  });

  it('never holds more than the burst', () => {
    const bucket = new TokenBucket(10, 2, 0);
    const taken = [0, 0, 0].map(() => bucket.take(60_000));
    expect(taken).toEqual([true, true, false]);
  });

  it('counts refusals in a row and resets the count on the next accepted message', () => {
    const bucket = new TokenBucket(1, 1, 0);
    bucket.take(0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.refusedInARow).toBe(2);
    bucket.take(1000);
    expect(bucket.refusedInARow).toBe(0);
  });
});
