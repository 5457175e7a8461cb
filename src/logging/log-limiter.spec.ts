import type { AppConfig } from '../config';
import { LogLimiter } from './log-limiter';

describe('LogLimiter', () => {
  const limiter = () => new LogLimiter({ logWarnLinesPerMin: 3 } as AppConfig);
  const setNow = (ms: number) => jest.setSystemTime(ms);

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lets N lines per session through each minute, then reports how many it dropped', () => {
    const limit = limiter();
    const session = {};
    expect([limit.admit(session), limit.admit(session), limit.admit(session)]).toEqual([0, 0, 0]);
    expect(limit.admit(session)).toBeUndefined();
    expect(limit.admit(session)).toBeUndefined();
    setNow(59_999);
    expect(limit.admit(session)).toBeUndefined();
    setNow(60_000);
    expect(limit.admit(session)).toBe(3);
    expect(limit.admit(session)).toBe(0);
  });

  it('keeps a separate budget per source', () => {
    const limit = limiter();
    const a = {};
    const b = {};
    for (let i = 0; i < 3; i++) limit.admit(a);
    expect(limit.admit(a)).toBeUndefined();
    expect(limit.admit(b)).toBe(0);
  });
});
