import { retryDelayMs } from './webhook-sender';

describe('retryDelayMs', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [10, 60_000],
  ])('attempt %i waits between half of and the whole step %i ms (capped by the maximum)', (attempt, step) => {
    expect(retryDelayMs(attempt, 1000, 60_000, () => 0)).toBe(step / 2);
    expect(retryDelayMs(attempt, 1000, 60_000, () => 0.999999)).toBeCloseTo(step, -1);
  });
});
