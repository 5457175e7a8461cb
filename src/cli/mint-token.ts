import { parseArgs } from 'node:util';
import { signToken } from '../auth/token-signer';
import { ConfigError, loadConfig } from '../config';

/**
 * `npm run token -- --sub alice --rooms 'public:*,private:team-*' [--ttl 3600]`
 * Mints a client token with the configured key (JWT_SECRET, or JWT_PRIVATE_KEY for RS256/ES256).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sub: { type: 'string' }, rooms: { type: 'string' }, ttl: { type: 'string', default: '3600' } },
  });
  if (!values.sub) throw new ConfigError('usage: npm run token -- --sub <user> [--rooms "public:*,..."] [--ttl seconds]');
  const env = process.env;
  if (!env.JWT_SECRET && !env.JWT_PRIVATE_KEY) {
    throw new ConfigError('set JWT_SECRET (or JWT_PRIVATE_KEY) to the key the server uses; the dev server prints its own token');
  }
  const config = loadConfig(env);
  const rooms = values.rooms?.split(',').map((r) => r.trim()).filter(Boolean);
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new ConfigError('--ttl must be a positive whole number of seconds');
  process.stdout.write(`${await signToken(config.jwt, { sub: values.sub, rooms, ttlSeconds })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
