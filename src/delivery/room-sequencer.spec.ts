import { RoomSequencer } from './room-sequencer';

describe('RoomSequencer', () => {
  it('delivers in order, drops duplicates, reports a skipped offset or a new epoch as a gap', () => {
    const s = new RoomSequencer();
    expect(s.accept('r', 5, 'e')).toBe('deliver');
    expect(s.accept('r', 6, 'e')).toBe('deliver');
    expect(s.accept('r', 6, 'e')).toBe('duplicate');
    expect(s.accept('r', 8, 'e')).toBe('gap');
    expect(s.accept('r', 9, 'x')).toBe('gap');
  });

  it('takes a join position as the baseline only when it has none (or another epoch)', () => {
    const s = new RoomSequencer();
    s.observe('r', 10, 'e');
    expect(s.position('r')).toEqual({ epoch: 'e', offset: 10 });
    s.observe('r', 3, 'x');
    expect(s.position('r')).toEqual({ epoch: 'x', offset: 3 });
  });

  // A join that read offset 12 from the store while the bus had delivered only 10 here: 11 and 12
  // are still on their way and the room's other members need them (they were dropped as duplicates
  // when the join moved the baseline: found by the kill -9 cluster test under CPU load).
  it('does not move a baseline forward past messages still on their way', () => {
    const s = new RoomSequencer();
    expect(s.accept('r', 10, 'e')).toBe('deliver');
    s.observe('r', 12, 'e');
    expect(s.accept('r', 11, 'e')).toBe('deliver');
    expect(s.accept('r', 12, 'e')).toBe('deliver');
    expect(s.accept('r', 13, 'e')).toBe('deliver');
  });
});
