import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { CanActivate, Controller, ExecutionContext, Get, INestApplication, Injectable, Module, Req, Type, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsString, MaxLength } from 'class-validator';
import {
  ConnectedSocket,
  ErrorCode,
  LifecycleEventsService,
  MessageBody,
  MessageError,
  RealtimeModule,
  RealtimeModuleAsyncOptions,
  SessionInfo,
  SubscribeMessage,
  WebSocketGateway,
} from '../../src';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, tryUpgrade } from '../support/ws-client';

/**
 * RealtimeModule inside a host application built the way a Nest developer builds one: a plain
 * NestFactory.create (Express), no adapter call, the library's public API only (src/index.ts).
 */

const SECRET = 'host-app-secret-that-is-at-least-32-characters';

class ChatSendDto {
  @IsString() @MaxLength(100)
  text!: string;
}

/** Lets only tenant "acme" send `chat.guarded`: a guard sees the session through switchToWs().getClient(). */
@Injectable()
class AcmeOnly implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToWs().getClient<SessionInfo>().claims.tenant === 'acme';
  }
}

@WebSocketGateway()
class ChatGateway {
  @SubscribeMessage('chat.send')
  send(@MessageBody() dto: ChatSendDto, @ConnectedSocket() client: SessionInfo) {
    return { text: dto.text, userId: client.userId, tenant: client.claims.tenant, rooms: [...client.rooms] };
  }

  @SubscribeMessage('chat.guarded')
  @UseGuards(AcmeOnly)
  guarded(@ConnectedSocket() client: SessionInfo) {
    return { userId: client.userId };
  }

  @SubscribeMessage('chat.fail')
  fail(): never {
    throw new MessageError(ErrorCode.Forbidden, 'no chatting today');
  }
}

/** The host's own /health, which RealtimeModule must leave alone when `health: false`. */
@Controller('health')
class HostHealthController {
  @Get()
  health(@Req() req: object) {
    // pino-http's request logger: RealtimeModule logs its own routes, not the host's.
    return { host: 'ok', logged: 'log' in req };
  }
}

/** Stands for a host service (a ConfigService, a repository) the factory is given by injection. */
@Injectable()
class HostSettings {
  readonly secret = SECRET;
}

@Module({ providers: [HostSettings], exports: [HostSettings] })
class SettingsModule {}

/** Records lifecycle events in-process, as a host keeping "last seen" would. */
@Injectable()
class LastSeen {
  readonly closed = new Map<string, number>();
  constructor(events: LifecycleEventsService) {
    events.subscribe({ connectionClosed: (session, code) => this.closed.set(session.userId, code) });
  }
}

function hostModule(realtime: Partial<RealtimeModuleAsyncOptions> = {}, providers: unknown[] = [ChatGateway, LastSeen]) {
  @Module({
    imports: [
      RealtimeModule.forRootAsync({
        imports: [SettingsModule],
        inject: [HostSettings],
        useFactory: (settings: HostSettings) => ({ jwtSecret: settings.secret, logLevel: 'silent', allowedOrigins: ['https://app.example.com'] }),
        health: false,
        ...realtime,
      }),
    ],
    controllers: [HostHealthController],
    providers: providers as never[],
  })
  class HostModule {}
  return HostModule;
}

async function startHost(module: Type): Promise<{ app: INestApplication; port: number }> {
  const app = await NestFactory.create(module, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as AddressInfo).port };
}

describe('RealtimeModule in a host application', () => {
  let host: { app: INestApplication; port: number };
  const wsUrl = () => `ws://127.0.0.1:${host.port}/ws`;

  beforeAll(async () => {
    host = await startHost(hostModule());
  });
  afterAll(() => host.app.close());

  it('answers a host @SubscribeMessage handler with an ack carrying custom claims and SessionInfo', async () => {
    const client = await connect(wsUrl(), { token: await mintToken({ sub: 'alice', tenant: 'acme' }, SECRET) });
    await client.request('room.join', { room: 'public:lobby' });
    const reply = await client.request('chat.send', { text: 'hi' });
    expect(reply).toMatchObject({ type: 'ack', data: { text: 'hi', userId: 'alice', tenant: 'acme', rooms: ['public:lobby'] } });
    await client.close();
  });

  it('validates the @MessageBody() DTO like a built-in type: wrong types and unknown properties are refused', async () => {
    const client = await connect(wsUrl(), { token: await mintToken({ sub: 'bob' }, SECRET) });
    const wrongType = await client.request('chat.send', { text: 42 });
    expect(wrongType).toMatchObject({ type: 'error', data: { code: ErrorCode.ValidationFailed } });
    const unknown = await client.request('chat.send', { text: 'x', admin: true });
    expect(unknown).toMatchObject({ type: 'error', data: { code: ErrorCode.ValidationFailed } });
    await client.close();
  });

  it('applies @UseGuards with the session as the ws client, and answers thrown MessageErrors', async () => {
    const acme = await connect(wsUrl(), { token: await mintToken({ sub: 'carol', tenant: 'acme' }, SECRET) });
    const other = await connect(wsUrl(), { token: await mintToken({ sub: 'dave', tenant: 'globex' }, SECRET) });
    expect(await acme.request('chat.guarded')).toMatchObject({ type: 'ack', data: { userId: 'carol' } });
    expect(await other.request('chat.guarded')).toMatchObject({ type: 'error', data: { code: ErrorCode.Forbidden } });
    expect(await acme.request('chat.fail')).toMatchObject({ type: 'error', data: { code: ErrorCode.Forbidden, message: 'no chatting today' } });
    await Promise.all([acme.close(), other.close()]);
  });

  it('checks the upgrade before the 101 on the host server: no token is a 401', async () => {
    expect((await tryUpgrade(wsUrl())).status).toBe(401);
  });

  it('answers CORS on /auth/ticket for an allowed origin, and on no other route of the host', async () => {
    const preflight = (path: string) =>
      fetch(`http://127.0.0.1:${host.port}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const ticket = await preflight('/auth/ticket');
    expect(ticket.status).toBe(204);
    expect(ticket.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect((await preflight('/health')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('delivers lifecycle events to the host in-process', async () => {
    const client = await connect(wsUrl(), { token: await mintToken({ sub: 'erin' }, SECRET) });
    await client.close();
    const lastSeen = host.app.get(LastSeen);
    await waitFor(() => lastSeen.closed.has('erin'));
    expect(lastSeen.closed.get('erin')).toBe(1005);
  });

  it('leaves out the features switched off: the host keeps its own /health', async () => {
    const health = await fetch(`http://127.0.0.1:${host.port}/health`);
    expect(await health.json()).toEqual({ host: 'ok', logged: false });
    expect((await fetch(`http://127.0.0.1:${host.port}/metrics`)).status).toBe(200);
    const noAdmin = await startHost(hostModule({ adminApi: false, metrics: false }, []));
    try {
      expect((await fetch(`http://127.0.0.1:${noAdmin.port}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${noAdmin.port}/admin/stats`)).status).toBe(404);
    } finally {
      await noAdmin.app.close();
    }
  });
});

describe('RealtimeModule refuses at start', () => {
  it('an invalid option, with one line naming it', async () => {
    const bad = hostModule({ useFactory: () => ({ jwtSecret: 'short', heartbeatIntervalMs: 5000 }) }, []);
    await expect(NestFactory.create(bad, { logger: false, abortOnError: false })).rejects.toThrow(/^Invalid configuration: jwtSecret: jwtSecret must be at least 32 characters/);
  });

  it('an unknown option', async () => {
    const bad = hostModule({ useFactory: () => ({ jwtSecret: SECRET, heartbeatIntervalSeconds: 5 }) as never }, []);
    await expect(NestFactory.create(bad, { logger: false, abortOnError: false })).rejects.toThrow('Invalid configuration: heartbeatIntervalSeconds: unknown option');
  });

  it('two handlers for one type, naming both', async () => {
    @WebSocketGateway()
    class PingTwin {
      @SubscribeMessage('ping')
      ping() {
        return {};
      }
    }
    await expect(startHost(hostModule({}, [PingTwin]))).rejects.toThrow(/Two handlers for message type "ping": (PingHandler\.ping and PingTwin\.ping|PingTwin\.ping and PingHandler\.ping)$/);
  });
});
