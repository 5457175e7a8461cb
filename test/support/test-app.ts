import type { AddressInfo } from 'node:net';
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer {
  app: INestApplication;
  config: AppConfig;
  port: number;
  /** ws://127.0.0.1:<port>/ws */
  wsUrl: string;
  httpUrl: string;
  close(): Promise<void>;
}

/** Starts the real application in this process on an ephemeral port. */
export async function startServer(env: Record<string, string> = {}, extensions: (Type | DynamicModule)[] = [], listenPort = 0): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_SECRET,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PORT: '0',
    ...env,
  });
  const app = await createApp(config, extensions);
  await app.listen(listenPort, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    port,
    wsUrl: `ws://127.0.0.1:${port}${config.wsPath}`,
    httpUrl: `http://127.0.0.1:${port}`,
    close: () => app.close(),
  };
}

/**
 * For tests that start their own server: every server started through the returned function is
 * closed after each test, even when the test fails, so a failure never leaves jest hanging.
 */
export function serversPerTest(): (env?: Record<string, string>, extensions?: (Type | DynamicModule)[]) => Promise<TestServer> {
  const started: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (env, extensions) => {
    const server = await startServer(env, extensions);
    started.push(server);
    return server;
  };
}
