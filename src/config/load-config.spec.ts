import { generateKeyPairSync, KeyPairKeyObjectResult } from 'node:crypto';
// load-config.ts relies on reflect-metadata (class-transformer reads design:type for implicit
// conversion); main.ts imports it first, and so must this spec.
import 'reflect-metadata';
import { ConfigError, loadConfig } from './load-config';

const SECRET = 'x'.repeat(32);
const PUBLIC_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const privateKeyPem = ({ privateKey }: KeyPairKeyObjectResult) => privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The ConfigError loadConfig throws for env, or fails the test. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      listenBacklog: 4096,
      wsPath: '/ws',
      allowedOrigins: [],
      allowNoOrigin: true,
      adminToken: undefined,
      heartbeatIntervalMs: 25_000,
      heartbeatTimeoutMs: 10_000,
      maxPayloadBytes: 65_536,
      maxJsonDepth: 32,
      sendBufferMaxBytes: 1_048_576,
      rateLimitPerSec: 50,
      rateLimitBurst: 100,
      rateLimitUserPerSec: 200,
      rateLimitUserBurst: 400,
      maxConnections: 100_000,
      maxConnectionsPerUser: 100,
      defaultRooms: ['public:*'],
      shutdownTimeoutMs: 10_000,
      logLevel: 'info',
      trustProxy: false,
      examples: [],
    });
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      WS_PATH: '/realtime/v1',
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'https://auth.example.com',
      JWT_AUDIENCE: 'realtime',
      ALLOWED_ORIGINS: 'https://app.example.com',
      ALLOW_NO_ORIGIN: 'true',
      ADMIN_TOKEN: 'a'.repeat(16),
      HEARTBEAT_INTERVAL_MS: '30000',
      HEARTBEAT_TIMEOUT_MS: '5000',
      MAX_PAYLOAD_BYTES: '1024',
      MAX_JSON_DEPTH: '8',
      SEND_BUFFER_MAX_BYTES: '2048',
      RATE_LIMIT_PER_SEC: '5',
      RATE_LIMIT_BURST: '10',
      RATE_LIMIT_USER_PER_SEC: '20',
      RATE_LIMIT_USER_BURST: '30',
      MAX_CONNECTIONS: '7',
      MAX_CONNECTIONS_PER_USER: '3',
      DEFAULT_ROOMS: 'lobby',
      SHUTDOWN_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'debug',
      TRUST_PROXY: 'true',
      EXAMPLES: 'typing',
    });
    expect(config).toMatchObject({
      production: true,
      port: 8080,
      wsPath: '/realtime/v1',
      allowedOrigins: ['https://app.example.com'],
      allowNoOrigin: true,
      adminToken: 'a'.repeat(16),
      heartbeatIntervalMs: 30_000,
      heartbeatTimeoutMs: 5_000,
      maxPayloadBytes: 1024,
      maxJsonDepth: 8,
      sendBufferMaxBytes: 2048,
      rateLimitPerSec: 5,
      rateLimitBurst: 10,
      rateLimitUserPerSec: 20,
      rateLimitUserBurst: 30,
      maxConnections: 7,
      maxConnectionsPerUser: 3,
      defaultRooms: ['lobby'],
      shutdownTimeoutMs: 2000,
      logLevel: 'debug',
      trustProxy: true,
      examples: ['typing'],
    });
    expect(config.jwt).toMatchObject({ issuer: 'https://auth.example.com', audience: 'realtime', ephemeral: false });
  });

  describe('bad values throw a one-line ConfigError naming the variable', () => {
    it.each<{ variable: string; value: string }>([
      { variable: 'NODE_ENV', value: 'prod' },
      { variable: 'PORT', value: 'abc' },
      { variable: 'PORT', value: '70000' },
      { variable: 'PORT', value: '65536' },
      { variable: 'PORT', value: '-1' },
      { variable: 'PORT', value: '80.5' },
      { variable: 'LISTEN_BACKLOG', value: '0' },
      { variable: 'LISTEN_BACKLOG', value: '65536' },
      { variable: 'WS_PATH', value: 'ws' },
      { variable: 'WS_PATH', value: '/ws path' },
      { variable: 'WS_PATH', value: 'https://host/ws' },
      { variable: 'WS_PATH', value: '/ws?x=1' },
      { variable: 'JWT_SECRET', value: 'x'.repeat(31) },
      { variable: 'JWT_PUBLIC_KEY', value: 'not a pem' },
      { variable: 'JWT_PRIVATE_KEY', value: '-----BEGIN PUBLIC KEY-----' },
      { variable: 'ADMIN_TOKEN', value: 'a'.repeat(15) },
      { variable: 'HEARTBEAT_INTERVAL_MS', value: '-1' },
      { variable: 'HEARTBEAT_INTERVAL_MS', value: '99' },
      { variable: 'HEARTBEAT_INTERVAL_MS', value: 'soon' },
      { variable: 'HEARTBEAT_TIMEOUT_MS', value: '49' },
      { variable: 'MAX_PAYLOAD_BYTES', value: '255' },
      { variable: 'MAX_PAYLOAD_BYTES', value: String(100 * 1024 * 1024 + 1) },
      { variable: 'MAX_JSON_DEPTH', value: '1' },
      { variable: 'MAX_JSON_DEPTH', value: '1001' },
      { variable: 'SEND_BUFFER_MAX_BYTES', value: '1023' },
      { variable: 'RATE_LIMIT_PER_SEC', value: '0' },
      { variable: 'RATE_LIMIT_PER_SEC', value: '2.5' },
      { variable: 'RATE_LIMIT_BURST', value: '0' },
      { variable: 'RATE_LIMIT_USER_PER_SEC', value: '0' },
      { variable: 'RATE_LIMIT_USER_BURST', value: '1.5' },
      { variable: 'MAX_CONNECTIONS', value: '0' },
      { variable: 'MAX_CONNECTIONS_PER_USER', value: '0' },
      { variable: 'SHUTDOWN_TIMEOUT_MS', value: '99' },
      { variable: 'LOG_LEVEL', value: 'loud' },
      { variable: 'LOG_LEVEL', value: 'INFO' },
      { variable: 'LOG_FORMAT', value: 'text' },
      { variable: 'LOG_FORMAT', value: 'JSON' },
      { variable: 'EXAMPLES', value: 'chat' },
      { variable: 'EXAMPLES', value: 'typing,Typing' },
    ])('$variable=$value', ({ variable, value }) => {
      const error = configError({ NODE_ENV: 'test', JWT_SECRET: SECRET, [variable]: value });
      expect(error.name).toBe('ConfigError');
      expect(error.message).not.toMatch(/[\r\n]/);
      expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable}: \\S`));
    });
  });

  describe('boundary values are accepted', () => {
    it.each<{ variable: string; value: string; field: string; expected: number }>([
      { variable: 'PORT', value: '0', field: 'port', expected: 0 },
      { variable: 'PORT', value: '65535', field: 'port', expected: 65535 },
      { variable: 'LISTEN_BACKLOG', value: '511', field: 'listenBacklog', expected: 511 },
      { variable: 'HEARTBEAT_INTERVAL_MS', value: '60000', field: 'heartbeatIntervalMs', expected: 60_000 },
      { variable: 'MAX_PAYLOAD_BYTES', value: '256', field: 'maxPayloadBytes', expected: 256 },
      { variable: 'MAX_PAYLOAD_BYTES', value: String(100 * 1024 * 1024), field: 'maxPayloadBytes', expected: 100 * 1024 * 1024 },
      { variable: 'MAX_JSON_DEPTH', value: '2', field: 'maxJsonDepth', expected: 2 },
      { variable: 'MAX_JSON_DEPTH', value: '1000', field: 'maxJsonDepth', expected: 1000 },
      { variable: 'SEND_BUFFER_MAX_BYTES', value: '1024', field: 'sendBufferMaxBytes', expected: 1024 },
      { variable: 'RATE_LIMIT_PER_SEC', value: '1', field: 'rateLimitPerSec', expected: 1 },
      { variable: 'RATE_LIMIT_BURST', value: '1', field: 'rateLimitBurst', expected: 1 },
      { variable: 'SHUTDOWN_TIMEOUT_MS', value: '100', field: 'shutdownTimeoutMs', expected: 100 },
    ])('$variable=$value', ({ variable, value, field, expected }) => {
      const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, [variable]: value });
      expect(config[field as keyof typeof config]).toBe(expected);
    });

    it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])('LOG_LEVEL=%s', (level) => {
      expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, LOG_LEVEL: level }).logLevel).toBe(level);
    });

    it.each<{ env: NodeJS.ProcessEnv; expected: string }>([
      { env: { NODE_ENV: 'development' }, expected: 'pretty' },
      { env: {}, expected: 'pretty' },
      { env: { NODE_ENV: 'test' }, expected: 'json' },
      { env: { NODE_ENV: 'production' }, expected: 'json' },
      { env: { NODE_ENV: 'development', LOG_FORMAT: 'json' }, expected: 'json' },
      { env: { NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, expected: 'pretty' },
      { env: { NODE_ENV: 'development', LOG_FORMAT: '' }, expected: 'pretty' },
    ])('LOG_FORMAT with $env -> $expected (pino-pretty installed)', ({ env, expected }) => {
      expect(loadConfig({ JWT_SECRET: SECRET, ...env }).logFormat).toBe(expected);
    });

    it.each(['/', '/ws', '/a/b_c.d-e', '/WS2'])('WS_PATH=%s', (path) => {
      expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, WS_PATH: path }).wsPath).toBe(path);
    });

    it('the secret is exactly 32 characters at the minimum', () => {
      const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'y'.repeat(32) });
      expect(Buffer.from(config.jwt.secret!).toString()).toBe('y'.repeat(32));
    });
  });

  describe('JWT keys', () => {
    it('production without a key throws', () => {
      const error = configError({ NODE_ENV: 'production' });
      expect(error.message).not.toMatch(/[\r\n]/);
      expect(error.message).toContain('NODE_ENV=production');
      for (const variable of ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_PRIVATE_KEY', 'JWT_JWKS_URL']) expect(error.message).toContain(variable);
    });

    it.each([{ NODE_ENV: 'development' }, { NODE_ENV: 'test' }, {}])(
      'without a key (%o) generates an ephemeral 32-byte secret',
      (env) => {
        const first = loadConfig(env);
        const second = loadConfig(env);
        expect(first.jwt.ephemeral).toBe(true);
        expect(first.jwt.secret).toBeInstanceOf(Uint8Array);
        expect(first.jwt.secret).toHaveLength(32);
        expect(first.jwt.publicKeyPem).toBeUndefined();
        expect(Buffer.from(first.jwt.secret!).equals(Buffer.from(second.jwt.secret!))).toBe(false);
      },
    );

    it('production with JWT_SECRET uses it as UTF-8 bytes', () => {
      const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET });
      expect(config.production).toBe(true);
      expect(config.jwt.ephemeral).toBe(false);
      expect(config.jwt.secret).toEqual(new TextEncoder().encode(SECRET));
    });

    it('production with JWT_PUBLIC_KEY has no secret', () => {
      const config = loadConfig({ NODE_ENV: 'production', JWT_PUBLIC_KEY: PUBLIC_KEY });
      expect(config.jwt).toMatchObject({ publicKeyPem: PUBLIC_KEY, secret: undefined, ephemeral: false });
    });

    it('JWT_PRIVATE_KEY alone is a public-key setup: its public half verifies, no secret is generated', () => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const config = loadConfig({ NODE_ENV: 'production', JWT_PRIVATE_KEY: privatePem });
      expect(config.jwt).toMatchObject({ secret: undefined, ephemeral: false, privateKeyPem: privatePem });
      expect(config.jwt.publicKeyPem).toBe(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    });

    it.each<[string, Record<string, string>, RegExp]>([
      ['a private key of another pair than JWT_PUBLIC_KEY', { JWT_PUBLIC_KEY: PUBLIC_KEY, JWT_PRIVATE_KEY: privateKeyPem(generateKeyPairSync('ec', { namedCurve: 'P-256' })) }, /JWT_PRIVATE_KEY is not the private half of JWT_PUBLIC_KEY/],
      ['JWT_SECRET with JWT_PRIVATE_KEY', { JWT_SECRET: SECRET, JWT_PRIVATE_KEY: privateKeyPem(generateKeyPairSync('ec', { namedCurve: 'P-256' })) }, /JWT_SECRET and JWT_PUBLIC_KEY \/ JWT_PRIVATE_KEY are exclusive/],
      ['an Ed25519 private key', { JWT_PRIVATE_KEY: privateKeyPem(generateKeyPairSync('ed25519')) }, /^Invalid configuration: JWT_PRIVATE_KEY: must be an RSA/],
      ['an unreadable private key', { JWT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' }, /^Invalid configuration: JWT_PRIVATE_KEY: not a readable PEM private key$/],
    ])('refuses %s with one line', (_name, env, message) => {
      expect(configError({ NODE_ENV: 'test', ...env }).message).toMatch(message);
    });

    it.each<[Record<string, string>, boolean]>([
      [{}, true],
      [{ JWT_SECRET: SECRET }, false],
      [{ JWT_SECRET: SECRET, DEV_TOKENS: 'true' }, true],
      [{ NODE_ENV: 'test', JWT_SECRET: SECRET }, false],
      [{ NODE_ENV: 'production', JWT_SECRET: SECRET }, false],
    ])('dev tokens with %j: %s', (env, devTokens) => {
      expect(loadConfig(env).devTokens).toBe(devTokens);
    });

    it.each<[Record<string, string>, string]>([
      [{ NODE_ENV: 'production', JWT_SECRET: SECRET, DEV_TOKENS: 'true' }, 'never with NODE_ENV=production'],
      [{ JWT_PUBLIC_KEY: PUBLIC_KEY, DEV_TOKENS: 'true' }, 'needs JWT_SECRET or JWT_PRIVATE_KEY'],
    ])('DEV_TOKENS=true with %j is refused', (env, reason) => {
      expect(configError(env).message).toMatch(new RegExp(`^Invalid configuration: DEV_TOKENS: [^\\n]*${reason}`));
    });

    it('JWT_SECRET and JWT_PUBLIC_KEY together throw', () => {
      const error = configError({ NODE_ENV: 'development', JWT_SECRET: SECRET, JWT_PUBLIC_KEY: PUBLIC_KEY });
      expect(error.message).not.toMatch(/[\r\n]/);
      expect(error.message).toContain('JWT_SECRET');
      expect(error.message).toContain('JWT_PUBLIC_KEY');
    });
  });

  describe('heartbeat timeout must be shorter than the interval', () => {
    it.each<{ interval?: string; timeout?: string; ok: boolean }>([
      { interval: '1000', timeout: '999', ok: true },
      { interval: '1000', timeout: '1000', ok: false },
      { interval: '1000', timeout: '5000', ok: false },
      { interval: '10000', ok: false }, // the default timeout is 10000
      { timeout: '25000', ok: false }, // the default interval is 25000
      { timeout: '24999', ok: true },
    ])('interval $interval, timeout $timeout -> ok: $ok', ({ interval, timeout, ok }) => {
      const env = { NODE_ENV: 'test', JWT_SECRET: SECRET, HEARTBEAT_INTERVAL_MS: interval, HEARTBEAT_TIMEOUT_MS: timeout };
      if (ok) {
        expect(loadConfig(env).heartbeatTimeoutMs).toBe(Number(timeout));
      } else {
        const error = configError(env);
        expect(error.message).not.toMatch(/[\r\n]/);
        expect(error.message).toContain('HEARTBEAT_TIMEOUT_MS');
      }
    });
  });

  describe('lists', () => {
    it.each<{ value: string; expected: string[] }>([
      { value: 'https://a.example.com', expected: ['https://a.example.com'] },
      { value: 'https://a.example.com,https://b.example.com', expected: ['https://a.example.com', 'https://b.example.com'] },
      { value: ' https://a.example.com , https://*.b.example.com ', expected: ['https://a.example.com', 'https://*.b.example.com'] },
      { value: 'https://a.example.com,, ,', expected: ['https://a.example.com'] },
      { value: ' , ', expected: [] },
    ])('ALLOWED_ORIGINS="$value"', ({ value, expected }) => {
      expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, ALLOWED_ORIGINS: value }).allowedOrigins).toEqual(expected);
    });

    it('DEFAULT_ROOMS is a trimmed comma list too', () => {
      expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, DEFAULT_ROOMS: ' lobby , public:* ,' }).defaultRooms).toEqual([
        'lobby',
        'public:*',
      ]);
    });
  });

  describe('booleans', () => {
    it.each<{ variable: string; field: 'allowNoOrigin' | 'trustProxy'; value: string; expected: boolean }>([
      { variable: 'ALLOW_NO_ORIGIN', field: 'allowNoOrigin', value: 'true', expected: true },
      { variable: 'ALLOW_NO_ORIGIN', field: 'allowNoOrigin', value: '1', expected: true },
      { variable: 'TRUST_PROXY', field: 'trustProxy', value: 'true', expected: true },
      { variable: 'TRUST_PROXY', field: 'trustProxy', value: '1', expected: true },
    ])('$variable=$value -> $expected', ({ variable, field, value, expected }) => {
      expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, [variable]: value })[field]).toBe(expected);
    });
  });

  describe('empty-string variables count as unset', () => {
    it.each<{ variable: string; field: string; expected: unknown }>([
      { variable: 'PORT', field: 'port', expected: 3000 },
      { variable: 'WS_PATH', field: 'wsPath', expected: '/ws' },
      { variable: 'HEARTBEAT_INTERVAL_MS', field: 'heartbeatIntervalMs', expected: 25_000 },
      { variable: 'MAX_JSON_DEPTH', field: 'maxJsonDepth', expected: 32 },
      { variable: 'LOG_LEVEL', field: 'logLevel', expected: 'info' },
      { variable: 'ALLOW_NO_ORIGIN', field: 'allowNoOrigin', expected: true },
      { variable: 'TRUST_PROXY', field: 'trustProxy', expected: false },
      { variable: 'DEFAULT_ROOMS', field: 'defaultRooms', expected: ['public:*'] },
      { variable: 'ALLOWED_ORIGINS', field: 'allowedOrigins', expected: [] },
      { variable: 'ADMIN_TOKEN', field: 'adminToken', expected: undefined },
    ])('$variable=""', ({ variable, field, expected }) => {
      const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, [variable]: '' });
      expect(config[field as keyof typeof config]).toEqual(expected);
    });

    it('an empty NODE_ENV is development, an empty JWT_SECRET is no key', () => {
      const config = loadConfig({ NODE_ENV: '', JWT_SECRET: '', JWT_PUBLIC_KEY: '' });
      expect(config.production).toBe(false);
      expect(config.jwt.ephemeral).toBe(true);
    });

    it('in production an empty JWT_SECRET is still a missing key', () => {
      expect(configError({ NODE_ENV: 'production', JWT_SECRET: '' }).message).toContain('JWT_SECRET');
    });

    it('JWT_SECRET set with JWT_PUBLIC_KEY="" is not a conflict', () => {
      expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, JWT_PUBLIC_KEY: '' }).jwt.publicKeyPem).toBeUndefined();
    });
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, HOME: '/root', PATH: '/bin' }).port).toBe(3000);
  });
});

describe('loadConfig: values found wrong in review', () => {
  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('ALLOW_NO_ORIGIN=%s reads as %s', (value, expected) => {
    expect(loadConfig({ NODE_ENV: 'test', ALLOW_NO_ORIGIN: value }).allowNoOrigin).toBe(expected);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value }).trustProxy).toBe(expected);
  });

  it.each([
    ['ALLOW_NO_ORIGIN', 'maybe'],
    ['ALLOWED_ORIGINS', 'https://app.example.com/'],
    ['ALLOWED_ORIGINS', 'app.example.com'],
    ['JWT_PUBLIC_KEY', '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----'],
    ['JWT_PUBLIC_KEY', generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['JWT_PUBLIC_KEY', generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()],
  ])('%s=%j is a one-line ConfigError naming the variable', (variable, value) => {
    expect(() => loadConfig({ NODE_ENV: 'test', [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable}[^\\n]*$`));
  });

  it('blank variables count as unset', () => {
    expect(loadConfig({ NODE_ENV: 'test', PORT: '  ' }).port).toBe(3000);
  });

  it('names the type error for a non-numeric PORT', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PORT: 'abc' })).toThrow('Invalid configuration: PORT: PORT must be an integer number');
  });
});

describe('loadConfig: the Redis connection (REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES)', () => {
  const base = { NODE_ENV: 'test', JWT_SECRET: SECRET };

  it('none: one node in memory; REDIS_URL: one server', () => {
    expect(loadConfig(base).redis).toBeUndefined();
    expect(loadConfig({ ...base, REDIS_URL: 'redis://r:6379/0' }).redis).toEqual({ mode: 'single', url: 'redis://r:6379/0' });
  });

  it('REDIS_SENTINELS with REDIS_SENTINEL_NAME: sentinel mode, the list trimmed, IPv6 unbracketed, passwords passed on', () => {
    const config = loadConfig({ ...base, REDIS_SENTINELS: 's1:26379, 10.0.0.2:26380,[::1]:26381', REDIS_SENTINEL_NAME: 'main', REDIS_SENTINEL_PASSWORD: 'sp', REDIS_PASSWORD: 'rp' });
    expect(config.redis).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'main',
      sentinelPassword: 'sp',
      password: 'rp',
    });
  });

  it('REDIS_CLUSTER_NODES: cluster mode, the list parsed, the password passed on', () => {
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: 'c1:7000, c2:7001', REDIS_PASSWORD: 'rp' }).redis).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'c1', port: 7000 },
        { host: 'c2', port: 7001 },
      ],
      password: 'rp',
    });
  });

  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['URL and sentinels', { REDIS_URL: 'redis://r', REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm' }, /REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES are exclusive/],
    ['sentinels and cluster', { REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'c:1' }, /are exclusive/],
    ['sentinels without a name', { REDIS_SENTINELS: 's:1' }, /REDIS_SENTINEL_NAME is required with REDIS_SENTINELS/],
    ['a name without sentinels', { REDIS_URL: 'redis://r', REDIS_SENTINEL_NAME: 'm' }, /REDIS_SENTINEL_NAME requires REDIS_SENTINELS/],
    ['a sentinel password without sentinels', { REDIS_SENTINEL_PASSWORD: 'p' }, /REDIS_SENTINEL_PASSWORD requires REDIS_SENTINELS/],
    ['REDIS_PASSWORD with REDIS_URL', { REDIS_URL: 'redis://r', REDIS_PASSWORD: 'p' }, /REDIS_PASSWORD requires REDIS_SENTINELS or REDIS_CLUSTER_NODES/],
    ['a list entry without a port', { REDIS_SENTINELS: 's1:26379,s2', REDIS_SENTINEL_NAME: 'm' }, /^Invalid configuration: REDIS_SENTINELS: REDIS_SENTINELS must be a comma list of host:port$/],
    ['a port out of range', { REDIS_SENTINELS: 's1:70000', REDIS_SENTINEL_NAME: 'm' }, /REDIS_SENTINELS: port 70000 of s1:70000 is not 1-65535/],
    ['a bad name', { REDIS_SENTINELS: 's1:1', REDIS_SENTINEL_NAME: 'my master' }, /^Invalid configuration: REDIS_SENTINEL_NAME: /],
    ['a bad cluster list', { REDIS_CLUSTER_NODES: 'c1' }, /^Invalid configuration: REDIS_CLUSTER_NODES: /],
  ])('%s: one-line ConfigError', (_, env, message) => {
    const error = configError({ ...base, ...env });
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toMatch(message);
  });
});
