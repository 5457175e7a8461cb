import { afterEach, describe, expect, it } from '@jest/globals';
import { connectionUrl, fitsInBytes } from './url';

describe('connectionUrl', () => {
  const g = globalThis as { location?: { href: string } };
  afterEach(() => {
    delete g.location;
  });

  it('adds the token as the token query parameter, encoded, replacing an existing one', () => {
    expect(connectionUrl('ws://h:3000/ws', 'a.b/c+d=')).toBe('ws://h:3000/ws?token=a.b%2Fc%2Bd%3D');
    expect(connectionUrl('wss://h/ws?token=old&v=2', 'new')).toBe('wss://h/ws?token=new&v=2');
    expect(connectionUrl('ws://h/ws', undefined)).toBe('ws://h/ws');
  });

  it('maps http(s) to ws(s)', () => {
    expect(connectionUrl('http://h/ws', 't')).toBe('ws://h/ws?token=t');
    expect(connectionUrl('https://h/ws', 't')).toBe('wss://h/ws?token=t');
  });

  it('resolves a relative URL against the page (browsers)', () => {
    g.location = { href: 'https://app.example.com/chat/index.html' };
    expect(connectionUrl('/ws', 't')).toBe('wss://app.example.com/ws?token=t');
  });

  it('throws on a relative URL without a page', () => {
    expect(() => connectionUrl('/ws', 't')).toThrow();
  });
});

describe('fitsInBytes', () => {
  it('counts UTF-8 bytes, not characters', () => {
    expect(fitsInBytes('a'.repeat(10), 10)).toBe(true);
    expect(fitsInBytes('a'.repeat(11), 10)).toBe(false);
    expect(fitsInBytes('é'.repeat(5), 10)).toBe(true); // 2 bytes each
    expect(fitsInBytes('é'.repeat(6), 10)).toBe(false);
    expect(fitsInBytes('😀'.repeat(2), 8)).toBe(true); // 4 bytes each, 2 UTF-16 units
    expect(fitsInBytes('😀'.repeat(3), 11)).toBe(false);
  });
});
