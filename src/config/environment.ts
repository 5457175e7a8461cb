import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/** Reads the raw string: implicit conversion would already have made Boolean('false') true. */
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const raw = obj[key];
  return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
};

/**
 * The environment variables the service reads, with their defaults. Validated once at start
 * (see load-config.ts); nothing else reads process.env. Times are in milliseconds, sizes in bytes.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

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

  @IsInt() @Min(1)
  RATE_LIMIT_PER_SEC: number = 50;

  @IsInt() @Min(1)
  RATE_LIMIT_BURST: number = 100;

  @IsInt() @Min(1)
  MAX_CONNECTIONS: number = 100_000;

  @IsInt() @Min(1)
  MAX_CONNECTIONS_PER_USER: number = 100;

  @IsString()
  DEFAULT_ROOMS: string = 'public:*';

  @IsInt() @Min(100)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;

  @IsInt() @Min(0) @Max(100_000)
  HISTORY_SIZE: number = 100;

  @IsInt() @Min(1000)
  HISTORY_TTL_MS: number = 300_000;

  @IsInt() @Min(64 * 1024)
  HISTORY_MAX_BYTES: number = 64 * 1024 * 1024;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(toBoolean) @IsBoolean()
  TRUST_PROXY: boolean = false;
}
