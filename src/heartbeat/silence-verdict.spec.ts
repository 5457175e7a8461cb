import { judgeSilence, MAX_GRACE_TIMEOUTS } from './silence-verdict';

const TIMEOUT = 1000;
const NOW = 100_000;
/** `count` peers whose oldest unanswered ping was sent `agoMs` before NOW, named `${name}0`... */
const peers = (name: string, count: number, agoMs: number) => Array.from({ length: count }, (_, i) => ({ name: `${name}${i}`, awaitingPongSince: NOW - agoMs }));
const names = (list: { name: string }[]) => list.map((p) => p.name).sort();
const GRACE_END_AGO = TIMEOUT * (1 + MAX_GRACE_TIMEOUTS);

describe('judgeSilence', () => {
  it.each([
    // [case, silent peers, checked, stalled, terminated, spared]
    ['a few silent peers of one round are terminated', [peers('a', 3, TIMEOUT)], 100, false, 3, 0],
    ['a mass silence of one round is spared', [peers('a', 20, TIMEOUT)], 100, false, 0, 20],
    ['fewer than 10 peers are never a mass, even all of them', [peers('a', 9, TIMEOUT)], 9, false, 9, 0],
    ['under a tenth of those checked is no mass', [peers('a', 15, TIMEOUT)], 200, false, 15, 0],
    // The soak's failure: a trickle over many rounds (a postponed sweep's backlog) is no mass silence.
    ['a trickle over many rounds is terminated, however many in all', [peers('a', 8, TIMEOUT), peers('b', 8, TIMEOUT + 500), peers('c', 8, TIMEOUT + 1000), peers('d', 8, TIMEOUT + 1500)], 100, false, 32, 0],
    ['a mass silence spares its round only; the trickle beside it goes', [peers('m', 30, TIMEOUT), peers('t', 5, TIMEOUT + 500)], 100, false, 5, 30],
    ['a stall spares every peer in its grace', [peers('a', 3, TIMEOUT), peers('b', 3, TIMEOUT + 500)], 100, true, 0, 6],
    ['past its grace a peer goes despite a stall', [peers('old', 2, GRACE_END_AGO), peers('new', 3, TIMEOUT)], 100, true, 2, 3],
    ['past its grace a mass silence goes', [peers('a', 50, GRACE_END_AGO)], 100, false, 50, 0],
    ['one ms before its grace ends a mass silence is still spared', [peers('a', 50, GRACE_END_AGO - 1)], 100, false, 0, 50],
  ])('%s', (_case, groups, checked, stalled, terminated, spared) => {
    const silent = groups.flat();
    const verdict = judgeSilence(silent, checked, NOW, TIMEOUT, stalled);
    expect([verdict.terminate.length, verdict.spare.length]).toEqual([terminated, spared]);
    expect(names([...verdict.terminate, ...verdict.spare])).toEqual(names(silent));
  });

  it('names which peers it spares: those of the mass round', () => {
    const verdict = judgeSilence([...peers('m', 12, TIMEOUT), ...peers('t', 2, TIMEOUT + 300)], 50, NOW, TIMEOUT, false);
    expect(names(verdict.spare)).toEqual(names(peers('m', 12, TIMEOUT)));
    expect(verdict.mass).toBe(true);
  });

  it('says a stall alone is no mass silence', () => {
    expect(judgeSilence(peers('a', 3, TIMEOUT), 100, NOW, TIMEOUT, true).mass).toBe(false);
  });
});
