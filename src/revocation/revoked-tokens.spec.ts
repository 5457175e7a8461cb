import { RevokedTokens } from './revoked-tokens';

describe('RevokedTokens', () => {
  let list: RevokedTokens;
  const setNow = (ms: number) => jest.setSystemTime(ms);

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000 });
    list = new RevokedTokens();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('revokes every token of a user until the given time', () => {
    list.revoke({ userId: 'alice', untilMs: 2_000 });
    expect(list.isRevoked({ userId: 'alice' })).toBe(true);
    expect(list.isRevoked({ userId: 'alice', jti: 'any' })).toBe(true);
    expect(list.isRevoked({ userId: 'bob' })).toBe(false);
    setNow(1_999);
    expect(list.isRevoked({ userId: 'alice' })).toBe(true);
    setNow(2_000);
    expect(list.isRevoked({ userId: 'alice' })).toBe(false);
  });

  it('revokes one token id, whoever holds it', () => {
    list.revoke({ jti: 't-1', untilMs: 2_000 });
    expect(list.isRevoked({ userId: 'alice', jti: 't-1' })).toBe(true);
    expect(list.isRevoked({ userId: 'alice', jti: 't-2' })).toBe(false);
    expect(list.isRevoked({ userId: 'alice' })).toBe(false);
  });

  it('revokes both when both are given', () => {
    list.revoke({ userId: 'alice', jti: 't-9', untilMs: 2_000 });
    expect(list.isRevoked({ userId: 'alice' })).toBe(true);
    expect(list.isRevoked({ userId: 'bob', jti: 't-9' })).toBe(true);
  });

  it('never shortens a revocation', () => {
    list.revoke({ userId: 'alice', untilMs: 5_000 });
    list.revoke({ userId: 'alice', untilMs: 2_000 });
    setNow(3_000);
    expect(list.isRevoked({ userId: 'alice' })).toBe(true);
  });

  it('lists only the revocations in force, dropping the expired ones', () => {
    list.revoke({ userId: 'alice', untilMs: 2_000 });
    list.revoke({ jti: 't-1', untilMs: 4_000 });
    expect(list.active()).toEqual([
      { userId: 'alice', untilMs: 2_000 },
      { jti: 't-1', untilMs: 4_000 },
    ]);
    setNow(3_000);
    expect(list.active()).toEqual([{ jti: 't-1', untilMs: 4_000 }]);
  });

  it('says whether a revocation changed anything, so a node closes sessions once per new revocation', () => {
    expect(list.revoke({ userId: 'alice', untilMs: 2_000 })).toBe(true);
    expect(list.revoke({ userId: 'alice', untilMs: 2_000 })).toBe(false); // the same, again (the bus echo, the periodic re-read)
    expect(list.revoke({ userId: 'alice', untilMs: 1_500 })).toBe(false); // shorter: ignored
    expect(list.revoke({ userId: 'alice', untilMs: 5_000 })).toBe(true); // longer
    expect(list.revoke({ userId: 'alice', jti: 't-2', untilMs: 5_000 })).toBe(true); // a new token id
    expect(list.revoke({ userId: 'bob', untilMs: 500 })).toBe(false); // already over
    expect(list.isRevoked({ userId: 'bob' })).toBe(false);
  });
});
