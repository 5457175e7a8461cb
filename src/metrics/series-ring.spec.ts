import { SeriesRing } from './series-ring';

const sample = (entries: [string, number][]) => new Map(entries);

describe('SeriesRing', () => {
  it('returns the samples oldest first, and overwrites the oldest once full', () => {
    const ring = new SeriesRing(3, 4);
    for (let t = 1; t <= 5; t++) ring.push(t * 1000, sample([['a', t]]));
    const { times, series } = ring.read();
    expect(times).toEqual([3000, 4000, 5000]);
    expect(series.get('a')).toEqual([3, 4, 5]);
  });

  it('gives null where a series had no value: before it first appeared, NaN, or missing from a sample', () => {
    const ring = new SeriesRing(4, 4);
    ring.push(1, sample([['a', 1]]));
    ring.push(2, sample([['a', NaN], ['b', 2]]));
    ring.push(3, sample([['b', 3]]));
    const { series } = ring.read();
    expect(series.get('a')).toEqual([1, null, null]);
    expect(series.get('b')).toEqual([null, 2, 3]);
  });

  it('never holds more than maxSeries columns, whatever names arrive', () => {
    const ring = new SeriesRing(2, 2);
    for (let i = 0; i < 50; i++) ring.push(i, sample([[`s${i}`, i]]));
    expect([...ring.read().series.keys()]).toEqual(['s0', 's1']);
    expect(ring.maxBytes).toBe(3 * 2 * 8);
  });
});
