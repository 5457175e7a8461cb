import { BearerSecret, bearerToken } from './bearer-secret';

describe('bearerToken', () => {
  it.each<[string | undefined, string | undefined]>([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER   abc', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('%j -> %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('BearerSecret', () => {
  it('matches only the configured secret', () => {
    const secret = new BearerSecret('s3cret-s3cret-s3cret');
    expect(secret.configured).toBe(true);
    expect(secret.matches('s3cret-s3cret-s3cret')).toBe(true);
    expect(secret.matches('s3cret-s3cret-s3cre')).toBe(false);
    expect(secret.matches('')).toBe(false);
    expect(secret.matches(undefined)).toBe(false);
  });

  it('matches nothing when no secret is configured', () => {
    const secret = new BearerSecret(undefined);
    expect(secret.configured).toBe(false);
    expect(secret.matches('')).toBe(false);
    expect(secret.matches('anything')).toBe(false);
  });
});
