import { STUCK_AFTER_MS, WatchedStreams } from './watched-streams';

describe('WatchedStreams.reconcile', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const check = async (streams: WatchedStreams, store: Record<string, { offset: number; epoch: string } | Error>, immediate = false) => {
    const resynced: string[] = [];
    const failed: string[] = [];
    const position = async (key: string) => {
      const at = store[key];
      if (at instanceof Error) throw at;
      return at;
    };
    await streams.reconcile(position, (key) => resynced.push(key), (_err, key) => failed.push(key), immediate);
    return { resynced, failed };
  };

  it('resyncs a stream whose epoch changed, at once', async () => {
    const streams = new WatchedStreams();
    streams.observe('bob', 4, 'e1');
    expect(await check(streams, { bob: { offset: 4, epoch: 'e2' } })).toEqual({ resynced: ['bob'], failed: [] });
  });

  it('leaves a stream that is behind but moving; resyncs one stuck behind for STUCK_AFTER_MS', async () => {
    const streams = new WatchedStreams();
    streams.observe('moving', 1, 'e');
    streams.observe('stuck', 1, 'e');
    const store = { moving: { offset: 3, epoch: 'e' }, stuck: { offset: 3, epoch: 'e' } };
    expect((await check(streams, store)).resynced).toEqual([]);
    jest.advanceTimersByTime(STUCK_AFTER_MS);
    streams.accept('moving', 2, 'e');
    expect((await check(streams, store)).resynced).toEqual(['stuck']);
  });

  it('resyncs any stream behind when immediate (after a subscription outage), and leaves one level', async () => {
    const streams = new WatchedStreams();
    streams.observe('behind', 1, 'e');
    streams.observe('level', 3, 'e');
    expect((await check(streams, { behind: { offset: 2, epoch: 'e' }, level: { offset: 3, epoch: 'e' } }, true)).resynced).toEqual(['behind']);
  });

  it('reports a store failure and checks the other streams', async () => {
    const streams = new WatchedStreams();
    streams.observe('down', 1, 'e');
    streams.observe('up', 1, 'e2');
    expect(await check(streams, { down: new Error('unavailable'), up: { offset: 1, epoch: 'e3' } })).toEqual({ resynced: ['up'], failed: ['down'] });
  });

  it('with rebaseEmpty, moves a stream it saw empty and never ahead to the new epoch without a resync; one it saw grow is resynced', async () => {
    const streams = new WatchedStreams(true);
    streams.observe('quiet', 0, 'e1');
    streams.observe('active', 3, 'e1');
    streams.observe('pending', 0, 'e1');
    expect((await check(streams, { quiet: { offset: 0, epoch: 'e1' }, active: { offset: 3, epoch: 'e1' }, pending: { offset: 1, epoch: 'e1' } })).resynced).toEqual([]);
    const after = { quiet: { offset: 2, epoch: 'e2' }, active: { offset: 0, epoch: 'e2' }, pending: { offset: 0, epoch: 'e2' } };
    expect((await check(streams, after)).resynced).toEqual(['active', 'pending']);
    expect(streams.position('quiet')).toEqual({ offset: 0, epoch: 'e2' });
    expect(streams.accept('quiet', 1, 'e2')).toBe('deliver');
    const strict = new WatchedStreams();
    strict.observe('quiet', 0, 'e1');
    expect((await check(strict, { quiet: { offset: 0, epoch: 'e2' } })).resynced).toEqual(['quiet']);
  });
});
