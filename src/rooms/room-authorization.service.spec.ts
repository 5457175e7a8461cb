import type { PinoLogger } from 'nestjs-pino';
import { RoomPermissions } from '../auth/room-permissions';
import type { AppConfig } from '../config';
import type { LifecycleEventsService } from '../lifecycle/lifecycle-events.service';
import { LogLimiter } from '../logging/log-limiter';
import type { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { TokenBucket } from '../registry/token-bucket';
import { MAX_ANSWERS_PER_SESSION, RoomAuthorizationService } from './room-authorization.service';
import type { RoomAuthorization, RoomAuthorizer } from './room-authorizer';

const session = (id = 's1', patterns = ['team:*']) =>
  new Session(id, 'alice', {} as never, new RoomPermissions(patterns), new TokenBucket(1, 1, 0), '127.0.0.1', 0, 0);

describe('RoomAuthorizationService', () => {
  const logger = { error: jest.fn(), warn: jest.fn() };
  const live = new Set<Session>();
  const registry = { get: (id: string) => [...live].find((s) => s.id === id) } as unknown as ConnectionRegistryService;
  const lifecycle = { subscribe: jest.fn() } as unknown as LifecycleEventsService;

  const service = (authorizer?: RoomAuthorizer, options: Partial<RoomAuthorization> = {}) => {
    const authorization = authorizer ? { authorizer, replacesToken: false, timeoutMs: 2000, cacheMs: 10_000, ...options } : undefined;
    const limiter = new LogLimiter({ logWarnLinesPerMin: 2 } as AppConfig);
    const created = new RoomAuthorizationService(authorization, registry, lifecycle, limiter, logger as unknown as PinoLogger);
    created.onModuleInit();
    return created;
  };
  const open = (id?: string, patterns?: string[]) => {
    const s = session(id, patterns);
    live.add(s);
    return s;
  };
  const forbidden = (message: string) => expect.objectContaining({ code: 'FORBIDDEN', message });
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      return err;
    }
    throw new Error('not refused');
  };

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    logger.error.mockReset();
    logger.warn.mockReset();
    live.clear();
  });
  afterEach(() => jest.useRealTimers());

  it('without an authorizer: the token patterns alone, synchronously', () => {
    const authz = service();
    const s = open();
    expect(authz.assertJoin(s, 'team:red')).toBeUndefined();
    expect(authz.assertPublish(s, 'team:red')).toBeUndefined();
    expect(refusal(() => authz.assertJoin(s, 'public:x'))).toEqual(forbidden('the token does not permit this room'));
  });

  it('asks the authorizer only when the token allows, and refuses with its own message', () => {
    const canJoin = jest.fn((_s: unknown, room: string) => room === 'team:red');
    const authz = service({ canJoin });
    const s = open();
    expect(refusal(() => authz.assertJoin(s, 'public:x'))).toEqual(forbidden('the token does not permit this room'));
    expect(canJoin).not.toHaveBeenCalled();
    expect(authz.assertJoin(s, 'team:red')).toBeUndefined();
    expect(refusal(() => authz.assertJoin(s, 'team:blue'))).toEqual(forbidden('not authorized for this room'));
    expect(canJoin).toHaveBeenCalledTimes(2);
  });

  it('with replacesToken, ignores the patterns: the authorizer alone decides', () => {
    const canJoin = jest.fn((_s: unknown, room: string) => room === 'public:x');
    const authz = service({ canJoin }, { replacesToken: true });
    const s = open();
    expect(authz.assertJoin(s, 'public:x')).toBeUndefined();
    expect(refusal(() => authz.assertJoin(s, 'team:red'))).toEqual(forbidden('not authorized for this room'));
  });

  it('keeps yes and no answers per session and room for cacheMs, then asks again', () => {
    const canJoin = jest.fn((_s: unknown, room: string) => room === 'team:red');
    const authz = service({ canJoin }, { cacheMs: 1000 });
    const [a, b] = [open('a'), open('b')];
    authz.assertJoin(a, 'team:red');
    refusal(() => authz.assertJoin(a, 'team:blue'));
    authz.assertJoin(a, 'team:red');
    refusal(() => authz.assertJoin(a, 'team:blue'));
    expect(canJoin).toHaveBeenCalledTimes(2);
    authz.assertJoin(b, 'team:red');
    expect(canJoin).toHaveBeenCalledTimes(3);
    jest.advanceTimersByTime(999);
    authz.assertJoin(a, 'team:red');
    expect(canJoin).toHaveBeenCalledTimes(3);
    jest.advanceTimersByTime(1);
    authz.assertJoin(a, 'team:red');
    expect(canJoin).toHaveBeenCalledTimes(4);
  });

  it('forgets a session when it closes, and keeps at most MAX_ANSWERS_PER_SESSION answers per session', () => {
    const canJoin = jest.fn(() => true);
    const authz = service({ canJoin });
    const s = open();
    authz.assertJoin(s, 'team:0');
    authz.connectionClosed(s);
    authz.assertJoin(s, 'team:0');
    expect(canJoin).toHaveBeenCalledTimes(2);
    for (let i = 1; i <= MAX_ANSWERS_PER_SESSION; i++) authz.assertJoin(s, `team:${i}`);
    canJoin.mockClear();
    authz.assertJoin(s, `team:${MAX_ANSWERS_PER_SESSION}`);
    expect(canJoin).not.toHaveBeenCalled();
    authz.assertJoin(s, 'team:0');
    expect(canJoin).toHaveBeenCalledTimes(1);
  });

  it('answers a cached async answer synchronously, and shares one call between identical checks', async () => {
    let answer!: (allowed: boolean) => void;
    const canJoin = jest.fn(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const authz = service({ canJoin });
    const s = open();
    const first = authz.assertJoin(s, 'team:red');
    const second = authz.assertJoin(s, 'team:red');
    expect(first).toBeInstanceOf(Promise);
    expect(canJoin).toHaveBeenCalledTimes(1);
    answer(true);
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    expect(authz.assertJoin(s, 'team:red')).toBeUndefined();
    expect(canJoin).toHaveBeenCalledTimes(1);
  });

  it('uses canPublish for publishes when defined, canJoin otherwise', () => {
    const canJoin = jest.fn(() => true);
    const canPublish = jest.fn(() => false);
    const s = open();
    const both = service({ canJoin, canPublish });
    expect(both.assertJoin(s, 'team:red')).toBeUndefined();
    expect(refusal(() => both.assertPublish(s, 'team:red'))).toEqual(forbidden('not authorized for this room'));
    const joinOnly = service({ canJoin });
    expect(joinOnly.assertJoin(s, 'team:red')).toBeUndefined();
    expect(joinOnly.assertPublish(s, 'team:red')).toBeUndefined();
    expect(canJoin).toHaveBeenCalledTimes(2);
  });

  it('refuses after timeoutMs, logs it once, drops the late answer and asks again next time', async () => {
    let answer!: (allowed: boolean) => void;
    const canJoin = jest.fn(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const authz = service({ canJoin }, { timeoutMs: 500 });
    const s = open();
    const check = authz.assertJoin(s, 'team:red');
    const shared = authz.assertJoin(s, 'team:red');
    jest.advanceTimersByTime(500);
    await expect(check).rejects.toEqual(forbidden('not authorized for this room'));
    await expect(shared).rejects.toEqual(forbidden('not authorized for this room'));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatchObject({ sessionId: 's1', room: 'team:red', check: 'canJoin' });
    answer(true);
    await Promise.resolve();
    const again = authz.assertJoin(s, 'team:red');
    expect(again).toBeInstanceOf(Promise);
    expect(canJoin).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('refuses a throw or a rejection, logs each once, within a budget per kind of failure', async () => {
    const authz = service({ canJoin: (_s, room) => (room === 'team:sync' ? fail('db down') : Promise.reject(new Error('db down'))) });
    const s = open();
    expect(refusal(() => authz.assertJoin(s, 'team:sync'))).toEqual(forbidden('not authorized for this room'));
    await expect(authz.assertJoin(s, 'team:async')).rejects.toEqual(forbidden('not authorized for this room'));
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(logger.error.mock.calls[1][0]).toMatchObject({ err: new Error('db down'), room: 'team:async', suppressed: 0 });
    // the budget (2 a minute here) is used up: refused, not logged
    await expect(authz.assertJoin(open('s2'), 'team:async')).rejects.toEqual(forbidden('not authorized for this room'));
    expect(logger.error).toHaveBeenCalledTimes(2);
  });

  it('does nothing for a session that closed while the authorizer decided', async () => {
    let answer!: (allowed: boolean) => void;
    const authz = service({ canJoin: () => new Promise<boolean>((resolve) => (answer = resolve)) });
    const s = open();
    const check = authz.assertJoin(s, 'team:red');
    live.delete(s);
    answer(true);
    await expect(check).rejects.toEqual(forbidden('the connection closed'));
  });
});

function fail(message: string): never {
  throw new Error(message);
}
