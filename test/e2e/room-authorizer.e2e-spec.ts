import { DynamicModule, Global, Module } from '@nestjs/common';
import type { SessionInfo } from '../../src/registry/session-info';
import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { RoomAuthorizationService } from '../../src/rooms/room-authorization.service';
import { ROOM_AUTHORIZATION, RoomAuthorization, RoomAuthorizer } from '../../src/rooms/room-authorizer';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, TestClient } from '../support/ws-client';

const TIMEOUT_MS = 300;
const CACHE_MS = 600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The host's data: who belongs to which room (`user/room`), who may publish. Rooms named
 * `…:slow` answer after 50 ms, `…:hang` never, `…:throw` throw.
 */
class MembershipAuthorizer implements RoomAuthorizer {
  readonly members = new Set<string>();
  readonly publishers = new Set<string>();
  readonly calls: string[] = [];

  canJoin(session: SessionInfo, room: string): boolean | Promise<boolean> {
    return this.decide('canJoin', session, room, this.members);
  }

  canPublish(session: SessionInfo, room: string): boolean | Promise<boolean> {
    return this.decide('canPublish', session, room, this.publishers);
  }

  private decide(check: string, { userId }: SessionInfo, room: string, allowed: Set<string>): boolean | Promise<boolean> {
    this.calls.push(`${check} ${userId} ${room}`);
    const member = allowed.has(`${userId}/${room}`);
    if (room.endsWith(':hang')) return new Promise<boolean>(() => undefined);
    if (room.endsWith(':throw')) throw new Error('membership database unreachable');
    if (room.endsWith(':slow')) return sleep(50).then(() => member);
    return member;
  }
}

/** What a host does through RealtimeModule: ROOM_AUTHORIZATION provided globally. */
@Global()
@Module({})
class TestAuthorizationModule {
  static with(authorization: RoomAuthorization): DynamicModule {
    return { module: TestAuthorizationModule, providers: [{ provide: ROOM_AUTHORIZATION, useValue: authorization }], exports: [ROOM_AUTHORIZATION] };
  }
}

describe('room authorizer', () => {
  const open: TestClient[] = [];
  const env = { RATE_LIMIT_PER_SEC: '1000', RATE_LIMIT_BURST: '1000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000' };
  const start = (authorizer: RoomAuthorizer, replacesToken = false) =>
    startServer(env, [TestAuthorizationModule.with({ authorizer, replacesToken, timeoutMs: TIMEOUT_MS, cacheMs: CACHE_MS })]);

  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  const user = async (server: TestServer, sub: string, rooms = ['team:*']) => {
    const client = await connect(server.wsUrl, { token: await mintToken({ sub, rooms }) });
    open.push(client);
    return client;
  };
  const refused = (message: string) => ({ code: 'FORBIDDEN', message });
  const NOT_AUTHORIZED = refused('not authorized for this room');

  describe('after the token (default)', () => {
    const authorizer = new MembershipAuthorizer();
    let server: TestServer;

    beforeAll(async () => {
      server = await start(authorizer);
      for (const m of ['alice/team:red', 'alice/team:slow', 'alice/team:cached', 'alice/team:hang', 'bob/team:red']) authorizer.members.add(m);
      authorizer.publishers.add('alice/team:red');
    });
    afterAll(() => server.close());
    beforeEach(() => {
      authorizer.calls.length = 0;
    });

    it('admits a member and refuses a non-member with FORBIDDEN; room.history and presence.get ask canJoin too', async () => {
      const [alice, carol] = await Promise.all([user(server, 'alice'), user(server, 'carol')]);
      expect((await alice.request('room.join', { room: 'team:red' })).type).toBe('ack');
      for (const [type, data] of [
        ['room.join', { room: 'team:red' }],
        ['presence.get', { room: 'team:red' }],
        ['room.history', { room: 'team:red' }],
        ['room.publish', { room: 'team:red', body: 1 }],
      ] as const) {
        expect((await carol.request(type, data)).data).toEqual(NOT_AUTHORIZED);
      }
      expect((await alice.request('presence.get', { room: 'team:red' })).type).toBe('ack');
      expect((await alice.request('room.history', { room: 'team:red' })).type).toBe('ack');
    });

    it('never asks the authorizer about a room the token refuses', async () => {
      const alice = await user(server, 'alice');
      authorizer.members.add('alice/public:lobby');
      expect((await alice.request('room.join', { room: 'public:lobby' })).data).toEqual(refused('the token does not permit this room'));
      expect(authorizer.calls).toEqual([]);
    });

    it('waits for an async answer', async () => {
      const [alice, carol] = await Promise.all([user(server, 'alice'), user(server, 'carol')]);
      expect((await alice.request('room.join', { room: 'team:slow' })).type).toBe('ack');
      expect((await carol.request('room.join', { room: 'team:slow' })).data).toEqual(NOT_AUTHORIZED);
      expect(server.app.get(ConnectionRegistryService).inRoom('team:slow').size).toBe(1);
    });

    it('refuses a hanging authorizer after timeoutMs, while the same session keeps working', async () => {
      const alice = await user(server, 'alice');
      const startedAt = Date.now();
      const hanging = alice.request('room.join', { room: 'team:hang' });
      expect((await alice.request('ping')).type).toBe('pong');
      expect((await alice.request('room.join', { room: 'team:red' })).type).toBe('ack');
      expect((await hanging).data).toEqual(NOT_AUTHORIZED);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect((await alice.request('room.publish', { room: 'team:red', body: 'still here' })).type).toBe('ack');
      expect(alice.socket.readyState).toBe(alice.socket.OPEN);
    });

    it('refuses when the authorizer throws, and logs it once', async () => {
      const logger = (server.app.get(RoomAuthorizationService) as unknown as { logger: { error: (...args: unknown[]) => void } }).logger;
      const logged = jest.spyOn(logger, 'error');
      try {
        const alice = await user(server, 'alice');
        expect((await alice.request('room.join', { room: 'team:throw' })).data).toEqual(NOT_AUTHORIZED);
        expect((await alice.request('ping')).type).toBe('pong');
        expect(logged).toHaveBeenCalledTimes(1);
        expect(logged.mock.calls[0][0]).toMatchObject({ room: 'team:throw', check: 'canJoin', err: expect.objectContaining({ message: 'membership database unreachable' }) });
      } finally {
        logged.mockRestore();
      }
    });

    it('reuses an answer for cacheMs, then asks again', async () => {
      const alice = await user(server, 'alice');
      await alice.request('room.join', { room: 'team:cached' });
      await alice.request('room.leave', { room: 'team:cached' });
      expect((await alice.request('room.join', { room: 'team:cached' })).type).toBe('ack');
      expect(authorizer.calls).toEqual(['canJoin alice team:cached']);
      await sleep(CACHE_MS + 50);
      expect((await alice.request('room.join', { room: 'team:cached' })).type).toBe('ack');
      expect(authorizer.calls).toHaveLength(2);
    });

    it('asks canPublish for publishes, apart from canJoin', async () => {
      const [alice, bob] = await Promise.all([user(server, 'alice'), user(server, 'bob')]);
      expect((await bob.request('room.join', { room: 'team:red' })).type).toBe('ack');
      expect((await bob.request('room.publish', { room: 'team:red', body: 'x' })).data).toEqual(NOT_AUTHORIZED);
      expect((await alice.request('room.publish', { room: 'team:red', body: 'y' })).type).toBe('ack');
      expect((await bob.next((f) => f.type === 'message')).data.body).toBe('y');
      expect(authorizer.calls).toEqual(['canJoin bob team:red', 'canPublish bob team:red', 'canPublish alice team:red']);
    });

    it('applies a join and a leave in the order they were sent, and leaves nothing behind a session that closed while asked', async () => {
      const registry = server.app.get(ConnectionRegistryService);
      const alice = await user(server, 'alice');
      const join = alice.request('room.join', { room: 'team:slow' });
      expect((await alice.request('room.leave', { room: 'team:slow' })).type).toBe('ack');
      expect((await join).type).toBe('ack');
      expect(registry.inRoom('team:slow').size).toBe(0);

      const again = await user(server, 'alice');
      again.sendRaw(JSON.stringify({ type: 'room.join', id: 'j', data: { room: 'team:slow' } }));
      await waitFor(() => authorizer.calls.length === 2);
      await again.close();
      await sleep(100);
      expect(registry.inRoom('team:slow').size).toBe(0);
    });
  });

  describe('instead of the token (replacesToken)', () => {
    const authorizer = new MembershipAuthorizer();
    let server: TestServer;

    beforeAll(async () => {
      server = await start(authorizer, true);
      authorizer.members.add('alice/vip:lounge');
    });
    afterAll(() => server.close());

    it('admits a room outside the token patterns, and refuses one inside them the authorizer refuses', async () => {
      const alice = await user(server, 'alice', ['team:*']);
      expect((await alice.request('room.join', { room: 'vip:lounge' })).type).toBe('ack');
      expect((await alice.request('room.join', { room: 'team:red' })).data).toEqual(NOT_AUTHORIZED);
    });
  });

  it('without ROOM_AUTHORIZATION, the token patterns alone decide', async () => {
    const server = await startServer(env);
    try {
      const alice = await user(server, 'alice');
      expect((await alice.request('room.join', { room: 'team:anything' })).type).toBe('ack');
      expect((await alice.request('room.join', { room: 'public:lobby' })).data).toEqual(refused('the token does not permit this room'));
    } finally {
      await Promise.all(open.splice(0).map((c) => c.close()));
      await server.close();
    }
  });
});
