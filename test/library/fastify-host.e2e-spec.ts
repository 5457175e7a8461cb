import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { ConnectedSocket, MessageBody, RealtimeModule, SessionInfo, SubscribeMessage, WebSocketGateway } from '../../src';
import { mintToken } from '../support/tokens';
import { connect, tryUpgrade } from '../support/ws-client';

/**
 * RealtimeModule inside a host application on Fastify (issue 13): NestFactory.create with
 * `new FastifyAdapter()` (@nestjs/platform-fastify), the library's public API only (src/index.ts).
 * What this covers is what works on Fastify. `chatPage: true` is left out: it does not work on
 * Fastify (without @fastify/static Nest's PackageLoader exits the process; with it, Fastify refuses
 * the routes ChatPageModule's Express-shaped ServeStaticModule options declare), and neither
 * failure is ours to assert.
 */

const SECRET = 'fastify-host-secret-that-is-at-least-32-characters';
const ADMIN_TOKEN = 'fastify-host-admin-token-0123456789';

class ChatSendDto {
  @IsString()
  text!: string;
}

@WebSocketGateway()
class ChatGateway {
  @SubscribeMessage('chat.send')
  send(@MessageBody() dto: ChatSendDto, @ConnectedSocket() client: SessionInfo) {
    return { text: dto.text, userId: client.userId };
  }
}

function hostModule(): Type {
  @Module({
    imports: [RealtimeModule.forRoot({ jwtSecret: SECRET, adminToken: ADMIN_TOKEN, logLevel: 'silent' })],
    providers: [ChatGateway],
  })
  class HostModule {}
  return HostModule;
}

async function startFastifyHost(module: Type): Promise<{ app: INestApplication; port: number }> {
  const app = await NestFactory.create(module, new FastifyAdapter(), { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as AddressInfo).port };
}

describe('RealtimeModule in a Fastify host application', () => {
  let host: { app: INestApplication; port: number };
  const wsUrl = () => `ws://127.0.0.1:${host.port}/ws`;
  const http = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${host.port}${path}`, init);
  const admin = (path: string, init: RequestInit = {}) =>
    http(path, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    host = await startFastifyHost(hostModule());
  });
  afterAll(() => host?.app.close());

  it('refuses an upgrade without a token with 401, before the 101', async () => {
    expect((await tryUpgrade(wsUrl())).status).toBe(401);
  });

  it('greets with a welcome frame', async () => {
    const client = await connect(wsUrl(), { token: await mintToken({ sub: 'alice' }, SECRET) });
    expect(client.frames[0]).toMatchObject({ type: 'welcome', data: { userId: 'alice' } });
    await client.close();
  });

  it('round-trips room.join and room.publish to another member', async () => {
    const alice = await connect(wsUrl(), { token: await mintToken({ sub: 'alice' }, SECRET) });
    const bob = await connect(wsUrl(), { token: await mintToken({ sub: 'bob' }, SECRET) });
    expect(await alice.request('room.join', { room: 'public:lobby' })).toMatchObject({ type: 'ack' });
    expect(await bob.request('room.join', { room: 'public:lobby' })).toMatchObject({ type: 'ack' });
    expect(await alice.request('room.publish', { room: 'public:lobby', body: { text: 'hello' } })).toMatchObject({ type: 'ack' });
    const message = await bob.next((f) => f.type === 'message' && f.data.room === 'public:lobby');
    expect(message.data).toMatchObject({ from: 'alice', body: { text: 'hello' } });
    await Promise.all([alice.close(), bob.close()]);
  });

  it("answers the host's @SubscribeMessage handler with an ack", async () => {
    const client = await connect(wsUrl(), { token: await mintToken({ sub: 'carol' }, SECRET) });
    expect(await client.request('chat.send', { text: 'hi' })).toMatchObject({ type: 'ack', data: { text: 'hi', userId: 'carol' } });
    await client.close();
  });

  it('serves the admin API: the admin token is required, and a room publish reaches a ws member', async () => {
    const unauthenticated = await http('/admin/stats');
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ statusCode: 401, message: 'admin credentials required' });

    const member = await connect(wsUrl(), { token: await mintToken({ sub: 'erin' }, SECRET) });
    await member.request('room.join', { room: 'public:news' });
    const stats = await admin('/admin/stats');
    expect(stats.status).toBe(200);
    expect(((await stats.json()) as { total: { connections: number } }).total.connections).toBeGreaterThanOrEqual(1);

    const published = await admin('/admin/rooms/public:news/messages', { method: 'POST', body: JSON.stringify({ body: { headline: 'hi' } }) });
    expect(published.status).toBe(200);
    const ack = (await published.json()) as { messageId: string };
    expect(ack).toMatchObject({ messageId: expect.any(String), offset: 1 });
    const message = await member.next((f) => f.type === 'message' && f.data.messageId === ack.messageId);
    expect(message.data).toMatchObject({ room: 'public:news', from: 'system', body: { headline: 'hi' } });
    await member.close();
  });

  it.each([
    ['a missing body', '/admin/rooms/public:news/messages', {}, 'body'],
    ['an unknown field', '/admin/rooms/public:news/messages', { body: 1, extra: 2 }, 'extra'],
    ['a bad room name', '/admin/rooms/bad%20room/messages', { body: 1 }, 'room'],
  ])('answers POST /admin/rooms/:room/messages with 400 and details for %s', async (_name, path, body, field) => {
    const response = await admin(path, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    const json = (await response.json()) as { statusCode: number; details: { field: string; constraints: string[] }[] };
    expect(json.statusCode).toBe(400);
    expect(json.details.map((d) => d.field)).toContain(field);
  });

  it('answers 413 for a published body over maxPayloadBytes (64 KiB by default)', async () => {
    const response = await admin('/admin/rooms/public:news/messages', { method: 'POST', body: JSON.stringify({ body: 'x'.repeat(70_000) }) });
    expect(response.status).toBe(413);
  });

  it('serves /health, /metrics and /docs/asyncapi.json', async () => {
    const health = await http('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await http('/health/live')).status).toBe(200);
    expect((await http('/health/ready')).status).toBe(200);
    const metrics = await http('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toMatch(/^# HELP /m);
    const asyncapi = await http('/docs/asyncapi.json');
    expect(asyncapi.status).toBe(200);
    expect(await asyncapi.json()).toMatchObject({ asyncapi: '3.0.0' });
  });
});

describe('graceful shutdown on Fastify', () => {
  it('closes a connected client with 1001 on app.close(), then the port is closed', async () => {
    const h = await startFastifyHost(hostModule());
    const client = await connect(`ws://127.0.0.1:${h.port}/ws`, { token: await mintToken({ sub: 'dave' }, SECRET) });
    const started = Date.now();
    await h.app.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    // The drain waits at most half of shutdownTimeoutMs (10 s) for the close handshakes: this one answered.
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(fetch(`http://127.0.0.1:${h.port}/health`)).rejects.toThrow();
  });
});
