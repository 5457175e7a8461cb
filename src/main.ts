import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { styleText } from 'node:util';
import { PinoLogger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { signToken } from './auth/token-signer';
import { AppConfig, ConfigError, loadConfig } from './config';

/** Signals whose default action terminates a process, received without meaning "stop". */
const IGNORED_SIGNALS = ['SIGHUP', 'SIGUSR2'] as const;

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config);
  // pino's (fields, message) order; Nest's Logger would take the message for a context name.
  const logger = await app.resolve(PinoLogger);
  // Only SIGTERM and SIGINT drain the node. Without a list Nest would drain on SIGHUP, SIGUSR2 and
  // the rest of its ShutdownSignal list as well; those are "reopen logs" or "dump" signals elsewhere.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  // Their default action would kill the process outright (no drain, no 1001): log and keep serving.
  for (const signal of IGNORED_SIGNALS) {
    process.on(signal, () => logger.warn({ signal }, `${signal} ignored: only SIGTERM and SIGINT stop the server`));
  }
  // Whatever a hook does, the process ends within SHUTDOWN_TIMEOUT_MS of the signal.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref());
  }
  // listen(port, backlog): Node reads a number after the port as the backlog; Nest passes it on.
  await (app.listen as unknown as (port: number, backlog: number) => Promise<unknown>).call(app, config.port, config.listenBacklog);
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.info({ port, wsPath: config.wsPath }, `listening on port ${port}`);
  if (config.jwt.ephemeral) await printDevToken(config, port);
}

function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

/** Bold on a terminal that shows colours, so the token stands out among the log lines. */
const strong = (text: string) => (process.stdout.isTTY && process.stdout.hasColors() ? styleText('bold', text) : text);

/**
 * Development without a key: print a token for the ephemeral secret and how to use it. `port` is
 * the one listened on (PORT=0 picks a free one).
 */
async function printDevToken(config: AppConfig, port: number): Promise<void> {
  const token = await signToken(config.jwt, { sub: 'dev-user', rooms: ['*'], ttlSeconds: 24 * 3600 });
  const url = `ws://localhost:${port}${config.wsPath}`;
  process.stdout.write(
    [
      '',
      'Development mode: no JWT key set (JWT_SECRET, JWT_PUBLIC_KEY, JWT_PRIVATE_KEY or JWT_JWKS_URL), so an ephemeral secret signs tokens for this run.',
      `Dev token (user "dev-user", all rooms, 24 h):\n  ${strong(token)}`,
      `Try it:\n  ${strong(`npx wscat -c '${url}?token=${token}'`)}`,
      `  then send {"type":"room.join","id":"1","data":{"room":"public:lobby"}}`,
      '',
    ].join('\n'),
  );
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
