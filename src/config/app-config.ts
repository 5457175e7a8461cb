/** The typed configuration every feature reads (through AppConfigService), built from Environment. */
export interface JwtConfig {
  /** HS256 secret, or undefined when a public key is configured. */
  secret?: Uint8Array;
  /** PEM public key for RS256/ES256. */
  publicKeyPem?: string;
  /** PEM private key: only the token CLI uses it, to mint tokens for a public-key setup. */
  privateKeyPem?: string;
  issuer?: string;
  audience?: string;
  /** JWT_JWKS_URL: verify RS256/ES256 tokens with the keys of this JWK Set, picked by `kid`. */
  jwksUrl?: string;
  /** True when the secret was generated at start because none was configured (development only). */
  ephemeral: boolean;
}

export interface AppConfig {
  production: boolean;
  /** GET /dev/token mints tokens for anyone: with the ephemeral key, or DEV_TOKENS=true; never in production. */
  devTokens: boolean;
  port: number;
  /** LISTEN_BACKLOG: the accept queue of the standalone server's listen(). */
  listenBacklog: number;
  wsPath: string;
  jwt: JwtConfig;
  allowedOrigins: string[];
  allowNoOrigin: boolean;
  adminToken?: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  maxPayloadBytes: number;
  maxJsonDepth: number;
  sendBufferMaxBytes: number;
  /** COALESCE_WRITES: at most two kernel writes per socket per event-loop turn. */
  coalesceWrites: boolean;
  /** WS_COMPRESSION=on: permessage-deflate for clients that ask for it. */
  wsCompression: boolean;
  rateLimitPerSec: number;
  rateLimitBurst: number;
  /** Per-user token bucket, shared by the user's connections on every node (src/ratelimit/). */
  rateLimitUserPerSec: number;
  rateLimitUserBurst: number;
  maxConnections: number;
  maxConnectionsPerUser: number;
  maxConnectionsPerIp: number;
  defaultRooms: string[];
  /** presence.join/leave are sent only while the room has at most this many members, the subject included. */
  presenceEventsMaxMembers: number;
  shutdownTimeoutMs: number;
  history: { sizePerRoom: number; ttlMs: number; maxBytes: number };
  /** Per-user streams of direct messages: `sizePerRoom` is per user; the in-memory store caps its total at HISTORY_MAX_BYTES too. */
  userHistory: { sizePerRoom: number; ttlMs: number; maxBytes: number };
  logLevel: string;
  /** json: one JSON object per line (production); pretty: readable lines, through pino-pretty. */
  logFormat: LogFormat;
  trustProxy: boolean;
  /** Set: cluster mode on Redis (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES). */
  redis?: RedisConnection;
  nodeId: string;
  nodeTtlMs: number;
  /** Claim holding roles; unset: admin JWTs are refused (only ADMIN_TOKEN works). */
  adminRoleClaim?: string;
  adminRole: string;
  metrics: { token?: string; port?: number };
  /** Set when WEBHOOK_URL is. */
  webhook?: WebhookConfig;
  logWarnLinesPerMin: number;
  /** EXAMPLES: the example modules to load (src/examples); none unless asked. */
  examples: ExampleName[];
}

/** The example modules EXAMPLES may name, each a directory of src/examples. */
export const EXAMPLE_NAMES = ['typing'] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];

export type LogFormat = 'json' | 'pretty';

export interface HostPort {
  host: string;
  port: number;
}

/** How the node reaches Redis: one server (REDIS_URL), a primary found through Sentinel, or a Redis Cluster. */
export type RedisConnection =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: HostPort[]; name: string; sentinelPassword?: string; password?: string }
  | { mode: 'cluster'; nodes: HostPort[]; password?: string };

export interface WebhookConfig {
  url: string;
  secret: string;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  queueMaxEvents: number;
  /** POSTs in flight at once on each node (BullMQ worker concurrency; the memory queue sends one at a time). */
  concurrency: number;
  /** Dead letters kept (the newest): GET /admin/webhooks/failed. */
  failedMax: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
