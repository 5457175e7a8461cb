import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

/** Reads the raw string: implicit conversion would already have made Boolean('false') true. */
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const raw = obj[key];
  return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
};

/** `host:port[,host:port...]`; a host is a name, an IPv4 address or a bracketed IPv6 address. */
const HOST_PORT_LIST = /^\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}\s*(,\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}\s*)*$/;

/**
 * The environment variables the service reads, with their defaults. Validated once at start
 * (see load-config.ts); nothing else reads process.env. Times are in milliseconds, sizes in bytes.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  /**
   * Connections the kernel queues for accept() on PORT (the standalone server's; a host
   * application listens itself). Node's default, 511, overflows in a reconnect storm: the
   * SYNs beyond it are dropped and their clients retry after 1, 3, 7, 15 s. Linux caps it at
   * net.core.somaxconn (4096 by default).
   */
  @IsInt() @Min(1) @Max(65535)
  LISTEN_BACKLOG: number = 4096;

  @Matches(/^\/[A-Za-z0-9/_.-]*$/, { message: 'WS_PATH must be an absolute URL path like /ws' })
  WS_PATH: string = '/ws';

  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (HS256)' })
  JWT_SECRET?: string;

  @IsOptional() @IsString() @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'JWT_PUBLIC_KEY must be a PEM (SPKI) public key' })
  JWT_PUBLIC_KEY?: string;

  @IsOptional() @IsString() @Matches(/-----BEGIN PRIVATE KEY-----/, { message: 'JWT_PRIVATE_KEY must be a PEM (PKCS#8) private key' })
  JWT_PRIVATE_KEY?: string;

  @IsOptional() @IsString()
  JWT_ISSUER?: string;

  @IsOptional() @IsString()
  JWT_AUDIENCE?: string;
  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { message: 'JWT_JWKS_URL must be an http(s) URL' }) JWT_JWKS_URL?: string;

  /** GET /dev/token with a configured key too (never in production); without a key it is always on. */
  @Transform(toBoolean) @IsBoolean()
  DEV_TOKENS: boolean = false;

  @IsString()
  ALLOWED_ORIGINS: string = '';

  @Transform(toBoolean) @IsBoolean()
  ALLOW_NO_ORIGIN: boolean = true;

  @IsOptional() @IsString() @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN?: string;

  @IsInt() @Min(100)
  HEARTBEAT_INTERVAL_MS: number = 25_000;

  @IsInt() @Min(50)
  HEARTBEAT_TIMEOUT_MS: number = 10_000;

  @IsInt() @Min(256) @Max(100 * 1024 * 1024)
  MAX_PAYLOAD_BYTES: number = 65_536;

  @IsInt() @Min(2) @Max(1000)
  MAX_JSON_DEPTH: number = 32;

  @IsInt() @Min(1024)
  SEND_BUFFER_MAX_BYTES: number = 1024 * 1024;

  /** Frames for one socket within one event-loop turn go to the kernel in one write (OutboundService). */
  @Transform(toBoolean) @IsBoolean()
  COALESCE_WRITES: boolean = true;

  /** permessage-deflate, offered to clients that ask for it only when `on` (gateway/compression.ts). */
  @IsIn(['off', 'on'])
  WS_COMPRESSION: 'off' | 'on' = 'off';

  @IsInt() @Min(1)
  RATE_LIMIT_PER_SEC: number = 50;

  @IsInt() @Min(1)
  RATE_LIMIT_BURST: number = 100;

  /** Per user, all their connections on every node together (cluster-wide with Redis); on top of the per-connection bucket. */
  @IsInt() @Min(1)
  RATE_LIMIT_USER_PER_SEC: number = 200;

  @IsInt() @Min(1)
  RATE_LIMIT_USER_BURST: number = 400;

  @IsInt() @Min(1)
  MAX_CONNECTIONS: number = 100_000;

  @IsInt() @Min(1)
  MAX_CONNECTIONS_PER_USER: number = 100;
  @IsInt() @Min(1) MAX_CONNECTIONS_PER_IP: number = 1000;

  @IsString()
  DEFAULT_ROOMS: string = 'public:*';

  /** Rooms larger than this get no presence.join/leave events (they cost N^2 frames to fill); presence.get still lists everyone. */
  @IsInt() @Min(1)
  PRESENCE_EVENTS_MAX_MEMBERS: number = 1000;

  @IsInt() @Min(100)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;

  @IsInt() @Min(0) @Max(100_000)
  HISTORY_SIZE: number = 100;

  @IsInt() @Min(1000)
  HISTORY_TTL_MS: number = 300_000;

  @IsInt() @Min(64 * 1024)
  HISTORY_MAX_BYTES: number = 64 * 1024 * 1024;

  /** Per-user streams of direct messages (docs/protocol.md, section 10.1): messages kept per user. */
  @IsInt() @Min(0) @Max(100_000)
  USER_HISTORY_SIZE: number = 100;

  @IsInt() @Min(1000)
  USER_HISTORY_TTL_MS: number = 300_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Unset: pretty in development when pino-pretty (a development dependency) is installed, else json. */
  @IsOptional() @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @Transform(toBoolean) @IsBoolean()
  TRUST_PROXY: boolean = false;

  /** Cluster mode on one Redis server when set (redis://host:port/db); unset (and no REDIS_SENTINELS or REDIS_CLUSTER_NODES) = one node, in memory. */
  @IsOptional() @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Cluster mode on Redis Sentinel: comma list of the sentinels' host:port (exclusive with REDIS_URL and REDIS_CLUSTER_NODES). */
  @IsOptional() @Matches(HOST_PORT_LIST, { message: 'REDIS_SENTINELS must be a comma list of host:port' })
  REDIS_SENTINELS?: string;

  /** The primary's name the sentinels monitor (`sentinel monitor <name> ...`); required with REDIS_SENTINELS. */
  @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'REDIS_SENTINEL_NAME must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  REDIS_SENTINEL_NAME?: string;

  /** The sentinels' own password (their `requirepass`), if any. */
  @IsOptional() @IsString()
  REDIS_SENTINEL_PASSWORD?: string;

  /** The Redis servers' password with REDIS_SENTINELS or REDIS_CLUSTER_NODES (REDIS_URL carries its own). */
  @IsOptional() @IsString()
  REDIS_PASSWORD?: string;

  /** Redis Cluster: comma list of some nodes' host:port (exclusive with REDIS_URL and REDIS_SENTINELS). Not supported yet: refused at start. */
  @IsOptional() @Matches(HOST_PORT_LIST, { message: 'REDIS_CLUSTER_NODES must be a comma list of host:port' })
  REDIS_CLUSTER_NODES?: string;

  /** This node's name in the cluster; defaults to hostname-pid. */
  @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'NODE_ID must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  NODE_ID?: string;

  /** Cluster mode: a node silent this long is dead; its sessions leave presence. */
  @IsInt() @Min(1000)
  NODE_TTL_MS: number = 15_000;

  /** JWT claim that lists roles (an array, or one string); unset = admin JWTs are not accepted. */
  @IsOptional() @Matches(/^[A-Za-z0-9_.:/-]{1,128}$/, { message: 'ADMIN_ROLE_CLAIM must be a claim name (1-128 characters of A-Z a-z 0-9 _ . : / -)' })
  ADMIN_ROLE_CLAIM?: string;

  /** The role in ADMIN_ROLE_CLAIM that grants the admin API. */
  @IsString() @MinLength(1)
  ADMIN_ROLE: string = 'admin';

  /** Bearer token /metrics requires; unset = open (bind it to METRICS_PORT on a private network). */
  @IsOptional() @IsString() @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Serve /metrics on this port only (not on PORT); 0 picks a free one. */
  @IsOptional() @IsInt() @Min(0) @Max(65535)
  METRICS_PORT?: number;

  /** Lifecycle events are POSTed here when set. */
  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { message: 'WEBHOOK_URL must be an http(s) URL' })
  WEBHOOK_URL?: string;

  /** HMAC-SHA256 key of X-Webhook-Signature; required with WEBHOOK_URL. */
  @IsOptional() @IsString() @MinLength(16, { message: 'WEBHOOK_SECRET must be at least 16 characters' })
  WEBHOOK_SECRET?: string;

  @IsInt() @Min(100)
  WEBHOOK_TIMEOUT_MS: number = 5_000;

  @IsInt() @Min(1) @Max(100)
  WEBHOOK_MAX_ATTEMPTS: number = 10;

  @IsInt() @Min(10)
  WEBHOOK_RETRY_BASE_MS: number = 1_000;

  @IsInt() @Min(10)
  WEBHOOK_RETRY_MAX_MS: number = 60_000;

  @IsInt() @Min(1)
  WEBHOOK_QUEUE_MAX_EVENTS: number = 10_000;

  /** POSTs in flight at once per node, with Redis (BullMQ worker concurrency); one at a time without. */
  @IsInt() @Min(1) @Max(1000)
  WEBHOOK_CONCURRENCY: number = 8;

  /** Dead letters kept (the newest): GET /admin/webhooks/failed. */
  @IsInt() @Min(1) @Max(1_000_000)
  WEBHOOK_FAILED_MAX: number = 10_000;

  /** Warn/error lines one session (socket errors, failing handlers) or component may log each minute; the rest are counted. */
  @IsInt() @Min(1)
  LOG_WARN_LINES_PER_MIN: number = 10;

  /** Comma list of the example modules to load (src/examples, e.g. typing); empty: none. */
  @IsString()
  EXAMPLES: string = '';
}
