/**
 * A fixed window of samples: one timestamp column and at most `maxSeries` value columns of
 * `capacity` numbers each, allocated once; the oldest sample is overwritten. NaN means "no value"
 * (a series first seen later, or a quantile of an interval without observations).
 */
export class SeriesRing {
  private readonly times: Float64Array;
  private readonly columns = new Map<string, Float64Array>();
  /** Index the next sample is written to. */
  private next = 0;
  private filled = 0;

  constructor(
    readonly capacity: number,
    private readonly maxSeries: number,
  ) {
    this.times = new Float64Array(capacity);
  }

  /** Bytes held once every column exists: the bound on this ring's memory. */
  get maxBytes(): number {
    return (1 + this.maxSeries) * this.capacity * Float64Array.BYTES_PER_ELEMENT;
  }

  /** Appends one sample; a name beyond `maxSeries` columns is dropped, never allocated. */
  push(timeMs: number, values: ReadonlyMap<string, number>): void {
    const at = this.next;
    this.times[at] = timeMs;
    for (const column of this.columns.values()) column[at] = NaN;
    for (const [name, value] of values) {
      let column = this.columns.get(name);
      if (!column) {
        if (this.columns.size >= this.maxSeries) continue;
        this.columns.set(name, (column = new Float64Array(this.capacity).fill(NaN)));
      }
      column[at] = value;
    }
    this.next = (at + 1) % this.capacity;
    this.filled = Math.min(this.filled + 1, this.capacity);
  }

  /** The samples, oldest first: their times and each series' values (NaN as null, for JSON). */
  read(): { times: number[]; series: Map<string, (number | null)[]> } {
    const order = this.order();
    const series = new Map<string, (number | null)[]>();
    for (const [name, column] of this.columns) series.set(name, order.map((i) => (Number.isNaN(column[i]) ? null : column[i])));
    return { times: order.map((i) => this.times[i]), series };
  }

  private order(): number[] {
    const start = this.filled < this.capacity ? 0 : this.next;
    return Array.from({ length: this.filled }, (_, k) => (start + k) % this.capacity);
  }
}
