import { createPrivateKey, createPublicKey, KeyObject, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig, EXAMPLE_NAMES, ExampleName, HostPort, LogFormat, RedisConnection } from './app-config';
import { Environment } from './environment';

/** A configuration error: its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Empty (or blank) variables count as unset, so their defaults apply. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]?.trim()));
}

/** An allowed origin is `scheme://host[:port]` or `scheme://*.domain[:port]`, nothing more. */
const ORIGIN_ENTRY = /^[a-z][a-z0-9+.-]*:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d+)?$/i;

/** RS256 needs an RSA key and ES256 a P-256 key; anything else could never verify a token. */
function checkPublicKey(key: KeyObject, variable: string): void {
  const supported = key.asymmetricKeyType === 'rsa' || (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1');
  if (!supported) throw new ConfigError(`Invalid configuration: ${variable}: must be an RSA (RS256) or P-256 (ES256) key`);
}

function readKey(pem: string, variable: string, read: (pem: string) => KeyObject, what: string): KeyObject {
  try {
    return read(pem);
  } catch {
    throw new ConfigError(`Invalid configuration: ${variable}: not a readable PEM ${what}`);
  }
}

/**
 * The PEM public key tokens are verified with: JWT_PUBLIC_KEY, or else the public half of
 * JWT_PRIVATE_KEY, so a private key alone is a complete public-key setup (not "no key": that
 * would generate a random secret). A private key that does not match JWT_PUBLIC_KEY would mint
 * tokens the server refuses, so it is refused at start.
 */
function verificationKeyPem(publicPem: string | undefined, privatePem: string | undefined): string | undefined {
  const publicKey = publicPem === undefined ? undefined : readKey(publicPem, 'JWT_PUBLIC_KEY', createPublicKey, 'public key');
  if (publicKey) checkPublicKey(publicKey, 'JWT_PUBLIC_KEY');
  if (privatePem === undefined) return publicPem;
  const derived = createPublicKey(readKey(privatePem, 'JWT_PRIVATE_KEY', createPrivateKey, 'private key'));
  checkPublicKey(derived, 'JWT_PRIVATE_KEY');
  if (publicKey && !publicKey.equals(derived)) throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY is not the private half of JWT_PUBLIC_KEY');
  return publicPem ?? derived.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * pino-pretty is a development dependency, absent from a production install (npm ci --omit=dev):
 * there a default never asks for it, and asking for it explicitly stops the process with one line.
 */
function logFormat(requested: LogFormat | undefined, development: boolean): LogFormat {
  let prettyInstalled = true;
  try {
    require.resolve('pino-pretty');
  } catch {
    prettyInstalled = false;
  }
  if (requested === 'pretty' && !prettyInstalled) {
    throw new ConfigError('Invalid configuration: LOG_FORMAT: pretty needs pino-pretty, a development dependency that this install lacks; use json');
  }
  return requested ?? (development && prettyInstalled ? 'pretty' : 'json');
}

/** `host:port` entries (the format was checked by Environment); the port must be 1-65535. */
function hostPorts(value: string, variable: string): HostPort[] {
  return list(value).map((entry) => {
    const at = entry.lastIndexOf(':');
    const port = Number(entry.slice(at + 1));
    if (port < 1 || port > 65535) throw new ConfigError(`Invalid configuration: ${variable}: port ${port} of ${entry} is not 1-65535`);
    return { host: entry.slice(0, at).replace(/^\[|\]$/g, ''), port };
  });
}

/** Which Redis, if any: REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES are exclusive. */
function redisConnection(parsed: Environment): RedisConnection | undefined {
  const set = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter((variable) => parsed[variable] !== undefined);
  if (set.length > 1) throw new ConfigError('Invalid configuration: REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES are exclusive; set one');
  const sentinelOnly = (['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'] as const).find((variable) => parsed[variable] !== undefined);
  if (sentinelOnly && !parsed.REDIS_SENTINELS) throw new ConfigError(`Invalid configuration: ${sentinelOnly} requires REDIS_SENTINELS`);
  if (parsed.REDIS_PASSWORD !== undefined && !parsed.REDIS_SENTINELS && !parsed.REDIS_CLUSTER_NODES) {
    throw new ConfigError('Invalid configuration: REDIS_PASSWORD requires REDIS_SENTINELS or REDIS_CLUSTER_NODES (with REDIS_URL, put the password in the URL)');
  }
  if (parsed.REDIS_URL) return { mode: 'single', url: parsed.REDIS_URL };
  if (parsed.REDIS_SENTINELS) {
    if (!parsed.REDIS_SENTINEL_NAME) throw new ConfigError('Invalid configuration: REDIS_SENTINEL_NAME is required with REDIS_SENTINELS');
    const sentinels = hostPorts(parsed.REDIS_SENTINELS, 'REDIS_SENTINELS');
    return { mode: 'sentinel', sentinels, name: parsed.REDIS_SENTINEL_NAME, sentinelPassword: parsed.REDIS_SENTINEL_PASSWORD, password: parsed.REDIS_PASSWORD };
  }
  if (parsed.REDIS_CLUSTER_NODES) return { mode: 'cluster', nodes: hostPorts(parsed.REDIS_CLUSTER_NODES, 'REDIS_CLUSTER_NODES'), password: parsed.REDIS_PASSWORD };
  return undefined;
}

/** Validates the environment once, at start. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = plainToInstance(Environment, withoutEmpty(env), { enableImplicitConversion: true });
  const errors = validateSync(parsed, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    // Prefer the type error: "PORT must be an integer" says more than a range error on NaN.
    const reason = first.constraints?.isInt ?? Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`Invalid configuration: ${first.property}: ${reason}`);
  }
  const production = parsed.NODE_ENV === 'production';
  if (parsed.JWT_SECRET && (parsed.JWT_PUBLIC_KEY || parsed.JWT_PRIVATE_KEY)) {
    throw new ConfigError('Invalid configuration: JWT_SECRET and JWT_PUBLIC_KEY / JWT_PRIVATE_KEY are exclusive; set one');
  }
  if (parsed.JWT_JWKS_URL && (parsed.JWT_SECRET || parsed.JWT_PUBLIC_KEY)) throw new ConfigError('Invalid configuration: JWT_JWKS_URL is exclusive with JWT_SECRET and JWT_PUBLIC_KEY; set one');
  // With JWKS the private key only signs (npm run token); the key set verifies.
  const publicKeyPem = parsed.JWT_JWKS_URL ? undefined : verificationKeyPem(parsed.JWT_PUBLIC_KEY, parsed.JWT_PRIVATE_KEY);
  const allowedOrigins = list(parsed.ALLOWED_ORIGINS);
  const badOrigin = allowedOrigins.find((o) => !ORIGIN_ENTRY.test(o));
  if (badOrigin !== undefined) {
    throw new ConfigError('Invalid configuration: ALLOWED_ORIGINS: each entry must be scheme://host[:port] or scheme://*.domain[:port]');
  }
  const keyless = !parsed.JWT_SECRET && !publicKeyPem && !parsed.JWT_JWKS_URL;
  if (keyless && production) {
    throw new ConfigError('Invalid configuration: a JWT key is required when NODE_ENV=production: JWT_SECRET, JWT_PUBLIC_KEY, JWT_PRIVATE_KEY or JWT_JWKS_URL');
  }
  if (parsed.DEV_TOKENS && production) throw new ConfigError('Invalid configuration: DEV_TOKENS: never with NODE_ENV=production (anyone could mint tokens)');
  if (parsed.DEV_TOKENS && !parsed.JWT_SECRET && !parsed.JWT_PRIVATE_KEY && !keyless) {
    throw new ConfigError('Invalid configuration: DEV_TOKENS: needs JWT_SECRET or JWT_PRIVATE_KEY to sign with');
  }
  if (parsed.WEBHOOK_URL && !parsed.WEBHOOK_SECRET) {
    throw new ConfigError('Invalid configuration: WEBHOOK_SECRET is required when WEBHOOK_URL is set');
  }
  if (parsed.WEBHOOK_RETRY_MAX_MS < parsed.WEBHOOK_RETRY_BASE_MS) {
    throw new ConfigError('Invalid configuration: WEBHOOK_RETRY_MAX_MS must be at least WEBHOOK_RETRY_BASE_MS');
  }
  const examples = list(parsed.EXAMPLES);
  const unknownExample = examples.find((name) => !(EXAMPLE_NAMES as readonly string[]).includes(name));
  if (unknownExample !== undefined) {
    throw new ConfigError(`Invalid configuration: EXAMPLES: unknown example "${unknownExample}" (known: ${EXAMPLE_NAMES.join(', ')})`);
  }
  if (parsed.HEARTBEAT_TIMEOUT_MS >= parsed.HEARTBEAT_INTERVAL_MS) {
    throw new ConfigError('Invalid configuration: HEARTBEAT_TIMEOUT_MS must be less than HEARTBEAT_INTERVAL_MS');
  }
  const redis = redisConnection(parsed);
  return {
    production,
    // A configured key may be a real deployment's, whatever NODE_ENV says: minting for anyone is opt-in then.
    devTokens: keyless || parsed.DEV_TOKENS,
    port: parsed.PORT,
    listenBacklog: parsed.LISTEN_BACKLOG,
    wsPath: parsed.WS_PATH,
    jwt: {
      // Development with no key: an ephemeral secret, so `npm start` works out of the box.
      secret: parsed.JWT_SECRET
        ? new TextEncoder().encode(parsed.JWT_SECRET)
        : keyless
          ? randomBytes(32)
          : undefined,
      publicKeyPem,
      privateKeyPem: parsed.JWT_PRIVATE_KEY,
      issuer: parsed.JWT_ISSUER,
      audience: parsed.JWT_AUDIENCE,
      jwksUrl: parsed.JWT_JWKS_URL,
      ephemeral: keyless,
    },
    allowedOrigins,
    allowNoOrigin: parsed.ALLOW_NO_ORIGIN,
    adminToken: parsed.ADMIN_TOKEN,
    heartbeatIntervalMs: parsed.HEARTBEAT_INTERVAL_MS,
    heartbeatTimeoutMs: parsed.HEARTBEAT_TIMEOUT_MS,
    maxPayloadBytes: parsed.MAX_PAYLOAD_BYTES,
    maxJsonDepth: parsed.MAX_JSON_DEPTH,
    sendBufferMaxBytes: parsed.SEND_BUFFER_MAX_BYTES,
    coalesceWrites: parsed.COALESCE_WRITES,
    wsCompression: parsed.WS_COMPRESSION === 'on',
    rateLimitPerSec: parsed.RATE_LIMIT_PER_SEC,
    rateLimitBurst: parsed.RATE_LIMIT_BURST,
    rateLimitUserPerSec: parsed.RATE_LIMIT_USER_PER_SEC,
    rateLimitUserBurst: parsed.RATE_LIMIT_USER_BURST,
    maxConnections: parsed.MAX_CONNECTIONS,
    maxConnectionsPerUser: parsed.MAX_CONNECTIONS_PER_USER,
    maxConnectionsPerIp: parsed.MAX_CONNECTIONS_PER_IP,
    // `none`: tokens without a rooms claim get no room at all.
    defaultRooms: parsed.DEFAULT_ROOMS === 'none' ? [] : list(parsed.DEFAULT_ROOMS),
    presenceEventsMaxMembers: parsed.PRESENCE_EVENTS_MAX_MEMBERS,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    history: { sizePerRoom: parsed.HISTORY_SIZE, ttlMs: parsed.HISTORY_TTL_MS, maxBytes: parsed.HISTORY_MAX_BYTES },
    userHistory: { sizePerRoom: parsed.USER_HISTORY_SIZE, ttlMs: parsed.USER_HISTORY_TTL_MS, maxBytes: parsed.HISTORY_MAX_BYTES },
    logLevel: parsed.LOG_LEVEL,
    logFormat: logFormat(parsed.LOG_FORMAT, parsed.NODE_ENV === 'development'),
    trustProxy: parsed.TRUST_PROXY,
    redis,
    nodeId: parsed.NODE_ID ?? `${hostname()}-${process.pid}`,
    nodeTtlMs: parsed.NODE_TTL_MS,
    adminRoleClaim: parsed.ADMIN_ROLE_CLAIM,
    adminRole: parsed.ADMIN_ROLE,
    metrics: { token: parsed.METRICS_TOKEN, port: parsed.METRICS_PORT },
    webhook: parsed.WEBHOOK_URL
      ? {
          url: parsed.WEBHOOK_URL,
          secret: parsed.WEBHOOK_SECRET!,
          timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
          maxAttempts: parsed.WEBHOOK_MAX_ATTEMPTS,
          retryBaseMs: parsed.WEBHOOK_RETRY_BASE_MS,
          retryMaxMs: parsed.WEBHOOK_RETRY_MAX_MS,
          queueMaxEvents: parsed.WEBHOOK_QUEUE_MAX_EVENTS,
          concurrency: parsed.WEBHOOK_CONCURRENCY,
          failedMax: parsed.WEBHOOK_FAILED_MAX,
        }
      : undefined,
    logWarnLinesPerMin: parsed.LOG_WARN_LINES_PER_MIN,
    examples: examples as ExampleName[],
  };
}
