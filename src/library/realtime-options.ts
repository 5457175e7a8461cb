import type { ModuleMetadata } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { AppConfig, ConfigError, Environment, loadConfig } from '../config';
import type { RoomAuthorization, RoomAuthorizer } from '../rooms/room-authorizer';

/** `HEARTBEAT_INTERVAL_MS` -> `heartbeatIntervalMs`. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Lowercase<Head>}${Capitalize<CamelCase<Tail>>}` : Lowercase<S>;

/** The variables holding comma-separated lists: their options are arrays. */
type ListVariable = 'ALLOWED_ORIGINS' | 'DEFAULT_ROOMS' | 'EXAMPLES' | 'REDIS_SENTINELS' | 'REDIS_CLUSTER_NODES';
const LIST_VARIABLES: readonly ListVariable[] = ['ALLOWED_ORIGINS', 'DEFAULT_ROOMS', 'EXAMPLES', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'];

/**
 * One option per environment variable of docs/configuration.md, named by camel-casing it
 * (`JWT_SECRET` -> `jwtSecret`), with the same defaults and validation; list variables take arrays.
 */
export type EnvironmentOptions = {
  [K in keyof Environment as CamelCase<K & string>]?: K extends ListVariable ? string[] : Environment[K];
};

/** What the library adds to the environment's options. */
export interface RoomAuthorizationOptions {
  /** Consulted when a session joins, publishes to, or reads a room. Absent: the token's `rooms` patterns alone decide. */
  roomAuthorizer?: RoomAuthorizer;
  /** true: the authorizer alone decides; false (default): a room needs the token's patterns and then the authorizer. */
  roomAuthorizerReplacesToken?: boolean;
  /** An answer slower than this refuses with FORBIDDEN. @default 2000 */
  roomAuthorizerTimeoutMs?: number;
  /** How long an answer (yes or no) is reused for the same session and room; 0: never. @default 10000 */
  roomAuthorizerCacheMs?: number;
}

/** The settings RealtimeModule.forRoot takes, or forRootAsync's factory returns. */
export type RealtimeOptions = EnvironmentOptions & RoomAuthorizationOptions;

/** Which HTTP parts the module serves beside the WebSocket endpoint: a host with its own health or metrics leaves ours out. */
export interface RealtimeFeatures {
  /** The admin REST API under /admin. @default true */
  adminApi?: boolean;
  /** /health, /health/live, /health/ready. @default true */
  health?: boolean;
  /** /metrics (or its own server on metricsPort). @default true */
  metrics?: boolean;
  /** /docs/asyncapi.json, the WebSocket protocol as an AsyncAPI 3 document. @default true */
  openApi?: boolean;
  /** The chat page at /, the admin dashboard at /admin/ui/ and the SDK bundle at /sdk/. @default false */
  chatPage?: boolean;
}

export type RealtimeModuleOptions = RealtimeOptions & RealtimeFeatures;

/** forRootAsync: Nest's dynamic-module convention; the features are static because they decide which controllers exist. */
export interface RealtimeModuleAsyncOptions extends RealtimeFeatures, Pick<ModuleMetadata, 'imports'> {
  inject?: (string | symbol | Function)[];
  useFactory: (...args: never[]) => RealtimeOptions | Promise<RealtimeOptions>;
}

const FEATURE_KEYS: readonly (keyof RealtimeFeatures)[] = ['adminApi', 'health', 'metrics', 'openApi', 'chatPage'];
const AUTHORIZATION_KEYS: readonly (keyof RoomAuthorizationOptions)[] = ['roomAuthorizer', 'roomAuthorizerReplacesToken', 'roomAuthorizerTimeoutMs', 'roomAuthorizerCacheMs'];

const camelCase = (variable: string) => variable.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Every variable Environment declares, by its option name. */
function variablesByOption(): Map<string, string> {
  const variables = getMetadataStorage()
    .getTargetValidationMetadatas(Environment, '', false, false)
    .map((m) => m.propertyName);
  return new Map([...new Set(variables)].map((variable) => [camelCase(variable), variable]));
}

/** Features default to on, except the chat page, which would take the host's `/`. */
export function featuresOf(options: RealtimeFeatures): Required<RealtimeFeatures> {
  return { adminApi: true, health: true, metrics: true, openApi: true, chatPage: false, ...definedOnly(options, FEATURE_KEYS) };
}

function definedOnly<T extends object>(options: T, keys: readonly (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as Partial<T>;
}

/**
 * The options as the environment they stand for, validated by the same rules (loadConfig);
 * errors name the option, not the variable. Unknown options are refused: a typo must not pass silently.
 */
export function configFromOptions(options: RealtimeModuleOptions): AppConfig {
  const byOption = variablesByOption();
  // Express and Nest read NODE_ENV too: a production host must not get development's keyless mode by leaving nodeEnv out.
  const env: Record<string, string> = process.env.NODE_ENV ? { NODE_ENV: process.env.NODE_ENV } : {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || (FEATURE_KEYS as readonly string[]).includes(key) || (AUTHORIZATION_KEYS as readonly string[]).includes(key)) continue;
    const variable = byOption.get(key);
    if (!variable) throw new ConfigError(`Invalid configuration: ${key}: unknown option`);
    env[variable] = (LIST_VARIABLES as readonly string[]).includes(variable) ? listValue(key, value) : String(value);
  }
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(err.message.replace(/\b[A-Z][A-Z0-9_]{2,}\b/g, (word) => (byOption.get(camelCase(word)) === word ? camelCase(word) : word)));
  }
}

function listValue(option: string, value: unknown): string {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && !v.includes(','))) {
    throw new ConfigError(`Invalid configuration: ${option}: must be an array of strings`);
  }
  // An empty array means an empty list, which DEFAULT_ROOMS spells `none` (empty would mean its default).
  return value.length === 0 && option === 'defaultRooms' ? 'none' : value.join(',');
}

/** The roomAuthorizer options, checked and with their defaults. */
export function roomAuthorizationFrom(options: RoomAuthorizationOptions): RoomAuthorization {
  const { roomAuthorizer, roomAuthorizerReplacesToken = false, roomAuthorizerTimeoutMs = 2000, roomAuthorizerCacheMs = 10_000 } = options;
  if (roomAuthorizer !== undefined && typeof roomAuthorizer?.canJoin !== 'function') {
    throw new ConfigError('Invalid configuration: roomAuthorizer: must have a canJoin(session, room) method');
  }
  if (roomAuthorizer?.canPublish !== undefined && typeof roomAuthorizer.canPublish !== 'function') {
    throw new ConfigError('Invalid configuration: roomAuthorizer: canPublish must be a method');
  }
  if (typeof roomAuthorizerReplacesToken !== 'boolean') throw new ConfigError('Invalid configuration: roomAuthorizerReplacesToken: must be a boolean');
  if (!Number.isInteger(roomAuthorizerTimeoutMs) || roomAuthorizerTimeoutMs < 1) {
    throw new ConfigError('Invalid configuration: roomAuthorizerTimeoutMs: must be a positive integer');
  }
  if (!Number.isInteger(roomAuthorizerCacheMs) || roomAuthorizerCacheMs < 0) {
    throw new ConfigError('Invalid configuration: roomAuthorizerCacheMs: must be an integer, 0 or more');
  }
  return { authorizer: roomAuthorizer, replacesToken: roomAuthorizerReplacesToken, timeoutMs: roomAuthorizerTimeoutMs, cacheMs: roomAuthorizerCacheMs };
}
