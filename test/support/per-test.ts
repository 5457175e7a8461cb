import { RedisServer, startRedis } from './redis-server';
import { mintToken } from './tokens';
import { connect, TestClient } from './ws-client';

/** A redis-server for each test of the describe it is called in: started before, stopped after. */
export function redisPerTest(): () => RedisServer {
  let redis: RedisServer | undefined;
  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });
  return () => redis!;
}

/**
 * Connects a welcomed client as user `sub` (a fresh token); every one is terminated after its test.
 * `opened`: the current test's clients.
 */
export function usersPerTest(): ((server: { wsUrl: string }, sub: string) => Promise<TestClient>) & { opened: TestClient[] } {
  const opened: TestClient[] = [];
  afterEach(() => {
    for (const c of opened.splice(0)) c.socket.terminate();
  });
  const user = async (server: { wsUrl: string }, sub: string) => {
    const c = await connect(server.wsUrl, { token: await mintToken({ sub }) });
    opened.push(c);
    return c;
  };
  return Object.assign(user, { opened });
}
