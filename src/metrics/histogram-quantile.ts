/** One bucket of a Prometheus histogram: observations up to `le` (cumulative, as exposed). */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The q-quantile of cumulative buckets, as PromQL's histogram_quantile computes it: linear within
 * the bucket that holds the rank (from 0 for the first), the highest finite bound when the rank
 * falls in +Inf. NaN without observations. `buckets` are sorted by `le`, +Inf last.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0) return NaN;
  const rank = q * total;
  let below = 0;
  let lower = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return count === below ? le : lower + ((le - lower) * (rank - below)) / (count - below);
    }
    below = count;
    lower = le;
  }
  return lower;
}
