import { DISCONNECTED_REASON, KICKED_REASON } from '../../src/protocol';
import { RealtimeError, RealtimeErrorCode } from '../../src/realtime/realtime-error';
import { RealtimeService } from '../../src/realtime/realtime.service';
import { adminClient } from '../support/admin-client';
import { RedisServer, startRedis } from '../support/redis-server';
import { serversPerTest, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, Frame, TestClient } from '../support/ws-client';

const MAX_PAYLOAD_BYTES = 4096;
const ROOM = 'public:svc';

const user = (server: TestServer, sub: string) => async () => connect(server.wsUrl, { token: await mintToken({ sub }) });
const sessionId = (c: TestClient) => c.frames[0].data.sessionId as string;
const rejection = (call: Promise<unknown>) => call.then(() => undefined, (err: unknown) => err);

/** The call fails with `code`; `client` then gets `marker` (sent by `sendMarker`) as its next frame of `type`, so nothing came before it. */
async function refusedUnseen(code: RealtimeErrorCode, call: Promise<unknown>, client: TestClient, type: string, sendMarker: () => Promise<{ messageId: string }>) {
  const err = await rejection(call);
  expect(err).toBeInstanceOf(RealtimeError);
  expect((err as RealtimeError).code).toBe(code);
  const before = client.frames.length;
  const { messageId } = await sendMarker();
  const next = await client.next((f) => client.frames.indexOf(f) >= before && f.type === type);
  expect(next.data.messageId).toBe(messageId);
}

describe('RealtimeService', () => {
  const start = serversPerTest();
  let server: TestServer;
  let realtime: RealtimeService;
  const clients: TestClient[] = [];
  const join = async (c: TestClient, room = ROOM) => expect(await c.request('room.join', { room })).toMatchObject({ type: 'ack' });

  beforeEach(async () => {
    server = await start({ MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) });
    realtime = server.app.get(RealtimeService);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.socket.terminate()));
  const open = async (sub: string) => {
    const c = await user(server, sub)();
    clients.push(c);
    return c;
  };

  it('publish stores first: members get the frame at the offset returned, a later joiner recovers it', async () => {
    const member = await open('alice');
    await join(member);
    const receipt = await realtime.publish(ROOM, { text: 'hello' });
    expect(receipt).toEqual({ messageId: expect.any(String), ts: expect.any(Number), offset: 1, epoch: expect.any(String) });
    const frame = await member.nextOfType('message');
    expect(frame.data).toEqual({ room: ROOM, from: 'system', body: { text: 'hello' }, ...receipt });

    const late = await open('bob');
    const ack = await late.request('room.join', { room: ROOM, since: { offset: 0, epoch: receipt.epoch } });
    expect(ack.data).toMatchObject({ recovered: true, offset: receipt.offset, epoch: receipt.epoch });
    expect((await late.nextOfType('message')).data).toEqual(frame.data);
  });

  it('sendToUser reaches every session of the user and counts them; 0 when offline', async () => {
    const [alice1, alice2, bob] = [await open('alice'), await open('alice'), await open('bob')];
    const receipt = await realtime.sendToUser('alice', { text: 'hi' });
    expect(receipt).toEqual({ messageId: expect.any(String), delivered: 2 });
    for (const c of [alice1, alice2]) expect((await c.nextOfType('direct')).data).toMatchObject({ from: 'system', body: { text: 'hi' }, messageId: receipt.messageId });
    expect(await realtime.sendToUser('nobody', 1)).toMatchObject({ delivered: 0 });
    await realtime.sendToUser('bob', 'marker');
    expect((await bob.nextOfType('direct')).data.body).toBe('marker');
  });

  it('broadcast reaches every session', async () => {
    const all = [await open('alice'), await open('bob'), await open('carol')];
    const receipt = await realtime.broadcast({ text: 'maintenance' });
    expect(receipt).toEqual({ messageId: expect.any(String), delivered: 3 });
    for (const c of all) expect((await c.nextOfType('broadcast')).data).toMatchObject({ from: 'system', body: { text: 'maintenance' }, messageId: receipt.messageId });
  });

  it('disconnectUser closes every session of the user: 4503 by default, or the code given', async () => {
    const [alice1, alice2, bob, carol] = [await open('alice'), await open('alice'), await open('bob'), await open('carol')];
    expect(await realtime.disconnectUser('alice')).toEqual({ closed: 2 });
    for (const c of [alice1, alice2]) expect(await c.closed).toEqual({ code: 4503, reason: KICKED_REASON });
    expect(await realtime.disconnectUser('bob', 4000)).toEqual({ closed: 1 });
    expect(await bob.closed).toEqual({ code: 4000, reason: DISCONNECTED_REASON });
    expect(await realtime.disconnectUser('nobody')).toEqual({ closed: 0 });
    expect((await rejection(realtime.disconnectUser('carol', 1006))) as RealtimeError).toMatchObject({ code: 'INVALID_CODE' });
    expect(carol.socket.readyState).toBe(carol.socket.OPEN);
  });

  it('disconnectSession closes one session with the code given; NOT_FOUND for an unknown one', async () => {
    const [alice1, alice2] = [await open('alice'), await open('alice')];
    expect(await realtime.disconnectSession(sessionId(alice1), 4601)).toEqual({ closed: 1 });
    expect(await alice1.closed).toEqual({ code: 4601, reason: DISCONNECTED_REASON });
    expect(await realtime.disconnectSession(sessionId(alice2))).toEqual({ closed: 1 });
    expect(await alice2.closed).toMatchObject({ code: 4503 });
    expect((await rejection(realtime.disconnectSession('no-such-session'))) as RealtimeError).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('presence and history return what the admin endpoint returns', async () => {
    const [alice, bob] = [await open('alice'), await open('bob')];
    for (const c of [alice, bob]) await join(c);
    for (let i = 1; i <= 5; i++) await realtime.publish(ROOM, { i });
    const detail = await (await adminClient(server.httpUrl)(`/admin/rooms/${ROOM}?history=3`)).json();
    expect(await realtime.presence(ROOM)).toEqual(detail.members);
    expect(detail.members.map((m: Frame['data']) => m.sessionId)).toEqual([sessionId(alice), sessionId(bob)]);
    const page = await realtime.history(ROOM, { limit: 3 });
    expect(page).toEqual({ room: ROOM, offset: detail.offset, epoch: detail.epoch, messages: detail.history });
    expect(page.messages.map((m) => m.body)).toEqual([{ i: 3 }, { i: 4 }, { i: 5 }]);
    expect((await realtime.history(ROOM, { limit: 2, before: 3 })).messages.map((m) => m.offset)).toEqual([1, 2]);
    expect((await rejection(realtime.history(ROOM, { limit: 101 }))) as RealtimeError).toMatchObject({ code: 'INVALID_PAGE' });
  });

  it('refuses an invalid room, user or body, and one over MAX_PAYLOAD_BYTES, with a typed error; nothing is published or sent', async () => {
    const member = await open('alice');
    await join(member);
    const tooBig = 'x'.repeat(MAX_PAYLOAD_BYTES);
    const marker = () => realtime.publish(ROOM, 'marker');
    await refusedUnseen('INVALID_ROOM', realtime.publish('bad room', 1), member, 'message', marker);
    await refusedUnseen('PAYLOAD_TOO_LARGE', realtime.publish(ROOM, tooBig), member, 'message', marker);
    await refusedUnseen('INVALID_BODY', realtime.publish(ROOM, undefined), member, 'message', marker);
    expect((await realtime.history(ROOM)).messages.map((m) => m.body)).toEqual(['marker', 'marker', 'marker']);
    await refusedUnseen('PAYLOAD_TOO_LARGE', realtime.sendToUser('alice', tooBig), member, 'direct', () => realtime.sendToUser('alice', 'marker'));
    await refusedUnseen('INVALID_BODY', realtime.sendToUser('alice', { n: 1n }), member, 'direct', () => realtime.sendToUser('alice', 'marker'));
    await refusedUnseen('PAYLOAD_TOO_LARGE', realtime.broadcast(tooBig), member, 'broadcast', () => realtime.broadcast('marker'));
    expect((await rejection(realtime.sendToUser('u'.repeat(257), 1))) as RealtimeError).toMatchObject({ code: 'INVALID_USER' });
    expect((await rejection(realtime.presence('bad room'))) as RealtimeError).toMatchObject({ code: 'INVALID_ROOM' });
  });
});

describe('RealtimeService, cluster mode: two nodes on one redis-server', () => {
  const start = serversPerTest();
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('publish, sendToUser and disconnectUser on node A reach a client on node B', async () => {
    const node = (id: string) => start({ REDIS_URL: redis.url, NODE_ID: id });
    const [a, b] = [await node('node-a'), await node('node-b')];
    const bob = await user(b, 'bob')();
    expect(await bob.request('room.join', { room: ROOM })).toMatchObject({ type: 'ack' });
    const realtime = a.app.get(RealtimeService);

    const receipt = await realtime.publish(ROOM, { text: 'from a' });
    expect((await bob.nextOfType('message', 5000)).data).toMatchObject({ from: 'system', body: { text: 'from a' }, offset: receipt.offset, epoch: receipt.epoch });
    const direct = await realtime.sendToUser('bob', 'psst');
    expect(direct.delivered).toBe(1);
    expect((await bob.nextOfType('direct', 5000)).data).toMatchObject({ from: 'system', body: 'psst', messageId: direct.messageId });
    expect(await realtime.disconnectUser('bob', 4000)).toEqual({ closed: 1 });
    expect(await bob.closed).toEqual({ code: 4000, reason: DISCONNECTED_REASON });
  });
});
