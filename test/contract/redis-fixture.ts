import { RedisClients } from '../../src/redis/redis-clients';
import { RedisServer, startRedis } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

/**
 * One real redis-server per spec file (started in beforeAll, stopped in afterAll) and the clients
 * a test opens on it, connected and ready, closed after each test. Tests share the server, so
 * each one uses fresh keys (rooms, users, ids).
 */
export function redisFixture(): {
  server(): RedisServer;
  /** New clients, once both connections are ready. */
  connect(): Promise<RedisClients>;
  /** Kills the server, runs `whileDown` once the clients see it gone, then starts a fresh empty one. */
  whileDown(clients: RedisClients, whileDown: () => Promise<void>): Promise<void>;
} {
  let redis: RedisServer | undefined;
  const open: RedisClients[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((clients) => clients.close()));
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const server = () => {
    if (!redis) throw new Error('redis-server not started (call redisFixture() at the top of a spec file)');
    return redis;
  };
  const ready = (clients: RedisClients) => waitFor(() => clients.ready, 5000);
  return {
    server,
    connect: async () => {
      const clients = new RedisClients(server().url);
      open.push(clients);
      await ready(clients);
      return clients;
    },
    whileDown: async (clients, whileDown) => {
      await server().kill();
      try {
        await waitFor(() => clients.command.status !== 'ready', 5000);
        await whileDown();
      } finally {
        await server().restart();
      }
      await ready(clients);
    },
  };
}
