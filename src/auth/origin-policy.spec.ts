import { OriginPolicy } from './origin-policy';

interface Case {
  origin: string | undefined;
  host?: string;
  allowed: boolean;
}

describe('OriginPolicy', () => {
  describe('exact origins', () => {
    const policy = new OriginPolicy(['https://app.example.com', 'http://localhost:5173'], false);

    it.each<Case>([
      { origin: 'https://app.example.com', allowed: true },
      { origin: 'http://localhost:5173', allowed: true },
      // the allow-list entries are normalized with URL, so are the origins
      { origin: 'HTTPS://APP.EXAMPLE.COM', allowed: true },
      { origin: 'https://App.Example.Com', allowed: true },
      { origin: 'https://app.example.com:443', allowed: true }, // the default port is dropped by URL
      { origin: 'http://app.example.com', allowed: false }, // wrong scheme
      { origin: 'https://app.example.com:8443', allowed: false }, // wrong port
      { origin: 'http://localhost:5174', allowed: false },
      { origin: 'http://localhost', allowed: false },
      { origin: 'https://example.com', allowed: false },
      { origin: 'https://other.example.com', allowed: false },
      { origin: 'https://app.example.com.evil.com', allowed: false },
      { origin: 'https://app.example.co', allowed: false },
    ])('$origin -> $allowed', ({ origin, allowed }) => {
      expect(policy.allows(origin, 'gateway.internal:3000')).toBe(allowed);
    });

    it('normalizes upper-case allow-list entries too', () => {
      const upper = new OriginPolicy(['HTTPS://APP.EXAMPLE.COM'], false);
      expect(upper.allows('https://app.example.com', undefined)).toBe(true);
      expect(upper.allows('https://other.example.com', undefined)).toBe(false);
    });
  });

  describe('wildcard patterns', () => {
    const policy = new OriginPolicy(['https://*.example.com'], false);

    it.each<Case>([
      { origin: 'https://app.example.com', allowed: true },
      { origin: 'https://a.b.example.com', allowed: true }, // any depth of subdomain
      { origin: 'HTTPS://APP.EXAMPLE.COM', allowed: true }, // URL lower-cases scheme and host
      { origin: 'https://app.example.com:443', allowed: true }, // default port is no port
      { origin: 'https://example.com', allowed: false }, // the bare domain is not a subdomain
      { origin: 'https://.example.com', allowed: false },
      { origin: 'https://app.example.com.evil.com', allowed: false },
      { origin: 'https://evilexample.com', allowed: false },
      { origin: 'https://app.evilexample.com', allowed: false },
      { origin: 'https://example.com.evil.com', allowed: false },
      { origin: 'http://app.example.com', allowed: false }, // wrong scheme
      { origin: 'wss://app.example.com', allowed: false },
      { origin: 'https://app.example.com:8443', allowed: false }, // a pattern without port means the default port
      { origin: 'https://app.example.com/', allowed: false }, // a path: not an origin
      { origin: 'https://user@app.example.com', allowed: false },
    ])('$origin -> $allowed', ({ origin, allowed }) => {
      expect(policy.allows(origin, undefined)).toBe(allowed);
    });

    it.each<Case>([
      { origin: 'http://app.example.com:8080', allowed: true },
      { origin: 'http://a.b.example.com:8080', allowed: true },
      { origin: 'http://app.example.com', allowed: false },
      { origin: 'http://app.example.com:8081', allowed: false },
      { origin: 'https://app.example.com:8080', allowed: false },
      { origin: 'http://example.com:8080', allowed: false },
      { origin: 'http://app.example.com.evil.com:8080', allowed: false },
    ])('explicit port pattern http://*.example.com:8080: $origin -> $allowed', ({ origin, allowed }) => {
      const withPort = new OriginPolicy(['http://*.example.com:8080'], false);
      expect(withPort.allows(origin, undefined)).toBe(allowed);
    });

    it('reads the pattern case-insensitively', () => {
      const upper = new OriginPolicy(['HTTPS://*.EXAMPLE.COM'], false);
      expect(upper.allows('https://app.example.com', undefined)).toBe(true);
      expect(upper.allows('https://example.com', undefined)).toBe(false);
    });

    it('combines exact entries and several patterns', () => {
      const mixed = new OriginPolicy(['https://*.example.com', 'https://*.example.org', 'http://localhost:3000'], false);
      expect(['https://a.example.com', 'https://b.example.org', 'http://localhost:3000'].map((o) => mixed.allows(o, undefined))).toEqual([
        true,
        true,
        true,
      ]);
      expect(['https://a.example.net', 'http://localhost:3001'].map((o) => mixed.allows(o, undefined))).toEqual([false, false]);
    });
  });

  describe('malformed origins', () => {
    const policy = new OriginPolicy(['https://app.example.com', 'https://*.example.com'], true);

    it.each<Case>([
      { origin: 'null', allowed: false }, // sandboxed iframes, file:// pages
      { origin: '', allowed: false }, // present but empty is not "missing"
      { origin: 'https://app.example.com/', allowed: false },
      { origin: 'https://app.example.com/chat', allowed: false },
      { origin: 'https://app.example.com?x=1', allowed: false },
      { origin: 'https://app.example.com#x', allowed: false },
      { origin: 'https://attacker@app.example.com', allowed: false },
      { origin: 'https://app.example.com ', allowed: false },
      { origin: 'app.example.com', allowed: false }, // no scheme
      { origin: '//app.example.com', allowed: false },
      { origin: '*', allowed: false },
      { origin: 'https://', allowed: false },
    ])('$origin -> refused', ({ origin, allowed }) => {
      expect(policy.allows(origin, 'app.example.com')).toBe(allowed);
    });
  });

  describe('missing Origin header', () => {
    it.each([
      { allowNoOrigin: true, allowed: true },
      { allowNoOrigin: false, allowed: false },
    ])('allowNoOrigin=$allowNoOrigin -> $allowed', ({ allowNoOrigin, allowed }) => {
      const policy = new OriginPolicy(['https://app.example.com'], allowNoOrigin);
      expect(policy.allows(undefined, 'gateway.example.com')).toBe(allowed);
      expect(policy.allows(undefined, undefined)).toBe(allowed);
    });
  });

  describe('same host (the pages the service serves itself)', () => {
    const policy = new OriginPolicy([], false);

    it.each<Case>([
      { origin: 'http://localhost:3000', host: 'localhost:3000', allowed: true },
      { origin: 'http://localhost:3000', host: 'LOCALHOST:3000', allowed: true }, // Host is lower-cased
      { origin: 'https://gw.example.com', host: 'gw.example.com', allowed: true },
      { origin: 'HTTPS://GW.EXAMPLE.COM', host: 'gw.example.com', allowed: true },
      { origin: 'http://[::1]:3000', host: '[::1]:3000', allowed: true },
      { origin: 'http://localhost:3001', host: 'localhost:3000', allowed: false }, // other port
      { origin: 'http://localhost', host: 'localhost:3000', allowed: false },
      { origin: 'http://evil.com:3000', host: 'localhost:3000', allowed: false },
      { origin: 'https://gw.example.com.evil.com', host: 'gw.example.com', allowed: false },
      { origin: 'https://gw.example.com', host: undefined, allowed: false }, // no Host header: nothing to compare
      { origin: 'https://gw.example.com', host: '', allowed: false },
      { origin: 'null', host: 'null', allowed: false },
      { origin: 'https://gw.example.com/x', host: 'gw.example.com', allowed: false },
    ])('origin $origin, host $host -> $allowed', ({ origin, host, allowed }) => {
      expect(policy.allows(origin, host)).toBe(allowed);
    });
  });

  it('an empty allow-list refuses every cross-origin request', () => {
    const policy = new OriginPolicy([], true);
    expect(['https://app.example.com', 'http://localhost:3000'].map((o) => policy.allows(o, 'gw.example.com'))).toEqual([false, false]);
  });
});

describe('OriginPolicy: cases found wrong in review', () => {
  it.each([
    ['https://app.example.com', true],
    ['https://app.example.com:443', true],
    ['https://app.example.com:8443', false],
  ])('a wildcard with the default port written out (https://*.example.com:443) against %s -> %s', (origin, allowed) => {
    expect(new OriginPolicy(['https://*.example.com:443'], false).allows(origin, undefined)).toBe(allowed);
  });

  it('refuses a backslash that URL would read as a path', () => {
    expect(new OriginPolicy(['https://exact.example.org'], false).allows('https://exact.example.org\\foo', undefined)).toBe(false);
  });
});
