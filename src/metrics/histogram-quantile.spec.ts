import { histogramQuantile } from './histogram-quantile';

const buckets = (...pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile (as PromQL histogram_quantile)', () => {
  it.each([
    ['no observations', 0.5, buckets([0.1, 0], [1, 0], [Infinity, 0]), NaN],
    ['interpolates in the first bucket from 0', 0.5, buckets([0.1, 4], [1, 4], [Infinity, 4]), 0.05],
    ['interpolates inside a later bucket', 0.5, buckets([0.1, 0], [1, 10], [Infinity, 10]), 0.55],
    ['p99 of 100 observations, one slow', 0.99, buckets([0.01, 99], [1, 100], [Infinity, 100]), 0.01],
    ['rank in +Inf: the highest finite bound', 0.99, buckets([0.01, 1], [1, 1], [Infinity, 10]), 1],
  ])('%s', (_name, q, input, expected) => {
    const result = histogramQuantile(q, input);
    if (Number.isNaN(expected)) expect(result).toBeNaN();
    else expect(result).toBeCloseTo(expected, 10);
  });
});
