import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { serversPerTest, startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';
import { connect, Frame, TestClient } from '../support/ws-client';

describe('rooms, presence and direct messages', () => {
  let server: TestServer;
  const open: TestClient[] = [];

  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_PER_SEC: '1000', RATE_LIMIT_BURST: '1000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000', EXAMPLES: 'typing' });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(() => server.close());

  const user = async (sub: string, rooms?: string[]) => {
    const client = await connect(server.wsUrl, { token: await mintToken({ sub, rooms }) });
    open.push(client);
    return client;
  };
  const messagesIn = (client: TestClient, room: string) => client.frames.filter((f) => f.type === 'message' && f.data.room === room);

  it('fans a publish out to every member, the sender included, and acks with messageId and ts', async () => {
    const [alice, bob, carol, outsider] = await Promise.all([user('alice'), user('bob'), user('carol'), user('dan')]);
    for (const c of [alice, bob, carol]) await c.request('room.join', { room: 'public:lobby' });
    const ack = await alice.request('room.publish', { room: 'public:lobby', body: { text: 'hello', n: [1, 2] } });
    expect(ack.type).toBe('ack');
    expect(ack.data).toEqual({ messageId: expect.any(String), ts: expect.any(Number), offset: 1, epoch: expect.any(String) });
    for (const c of [alice, bob, carol]) {
      const message = await c.next((f) => f.type === 'message' && f.data.messageId === ack.data.messageId);
      expect(message.data).toEqual({ room: 'public:lobby', messageId: ack.data.messageId, from: 'alice', body: { text: 'hello', n: [1, 2] }, ts: ack.data.ts, offset: 1, epoch: ack.data.epoch });
    }
    await outsider.request('ping');
    expect(messagesIn(outsider, 'public:lobby')).toHaveLength(0);
  });

  it('delivers a room in publish order', async () => {
    const [alice, bob] = await Promise.all([user('alice'), user('bob')]);
    await bob.request('room.join', { room: 'public:order' });
    for (let i = 0; i < 200; i++) alice.sendRaw(JSON.stringify({ type: 'room.publish', data: { room: 'public:order', body: i } }));
    await bob.next((f) => f.type === 'message' && f.data.body === 199);
    expect(messagesIn(bob, 'public:order').map((f) => f.data.body)).toEqual([...Array(200).keys()]);
  });

  it('lets a client publish to a permitted room it has not joined, and forbids rooms outside its token', async () => {
    const [alice, bob] = await Promise.all([user('alice', ['team:*']), user('bob', ['team:*', 'public:*'])]);
    await bob.request('room.join', { room: 'team:red' });
    expect((await alice.request('room.publish', { room: 'team:red', body: 'x' })).type).toBe('ack');
    await bob.next((f) => f.type === 'message' && f.data.body === 'x');
    for (const [type, data] of [
      ['room.join', { room: 'public:lobby' }],
      ['room.publish', { room: 'public:lobby', body: 1 }],
      ['presence.get', { room: 'public:lobby' }],
    ] as const) {
      expect((await alice.request(type, data)).data).toEqual({ code: 'FORBIDDEN', message: expect.any(String) });
    }
  });

  it('announces presence.join and presence.leave to the other members, and on disconnect', async () => {
    const [alice, bob] = await Promise.all([user('alice'), user('bob')]);
    await alice.request('room.join', { room: 'public:p' });
    await bob.request('room.join', { room: 'public:p' });
    const bobSession = bob.frames[0].data.sessionId;
    expect((await alice.next((f) => f.type === 'presence.join')).data).toEqual({ room: 'public:p', userId: 'bob', sessionId: bobSession });
    expect(bob.frames.some((f) => f.type === 'presence.join' && f.data.userId === 'bob')).toBe(false);

    await bob.request('room.leave', { room: 'public:p' });
    expect((await alice.next((f) => f.type === 'presence.leave')).data).toEqual({ room: 'public:p', userId: 'bob', sessionId: bobSession });

    const carol = await user('carol');
    await carol.request('room.join', { room: 'public:p' });
    carol.socket.terminate();
    const left = await alice.next((f: Frame) => f.type === 'presence.leave' && f.data.userId === 'carol');
    expect(left.data.room).toBe('public:p');
  });

  it('announces joins and leaves only while the room has at most PRESENCE_EVENTS_MAX_MEMBERS members', async () => {
    const small = await startServer({ PRESENCE_EVENTS_MAX_MEMBERS: '3' });
    try {
      const clients = await Promise.all(['a', 'b', 'c', 'd'].map(async (sub) => connect(small.wsUrl, { token: await mintToken({ sub }) })));
      const [a, b, c, d] = clients;
      for (const client of clients) await client.request('room.join', { room: 'public:big' });
      // presence.get lists everyone, announced or not
      expect((await a.request('presence.get', { room: 'public:big' })).data.members.map((m: { userId: string }) => m.userId).sort()).toEqual(['a', 'b', 'c', 'd']);
      await b.request('room.leave', { room: 'public:big' }); // 4 members, b included: not announced
      await b.request('room.join', { room: 'public:big' }); // 4 with b: not announced
      d.socket.terminate(); // 4 with d: not announced
      await waitFor(() => small.app.get(ConnectionRegistryService).size === 3);
      await c.request('room.leave', { room: 'public:big' }); // 3 with c: announced
      await a.next((f) => f.type === 'presence.leave' && f.data.userId === 'c');
      const presence = a.frames.filter((f) => f.type.startsWith('presence.')).map((f) => `${f.type} ${f.data.userId}`);
      expect(presence).toEqual(['presence.join b', 'presence.join c', 'presence.leave c']);
      await Promise.all([a, b, c].map((client) => client.close()));
    } finally {
      await small.close();
    }
  });

  it('lists the members of a room with presence.get', async () => {
    const [alice, bob] = await Promise.all([user('alice'), user('bob')]);
    await alice.request('room.join', { room: 'public:who' });
    await bob.request('room.join', { room: 'public:who' });
    const reply = await alice.request('presence.get', { room: 'public:who' });
    expect(reply.data.room).toBe('public:who');
    expect(reply.data.members).toEqual(
      expect.arrayContaining([
        { userId: 'alice', sessionId: alice.frames[0].data.sessionId },
        { userId: 'bob', sessionId: bob.frames[0].data.sessionId },
      ]),
    );
    expect(reply.data.members).toHaveLength(2);
  });

  it('carries any JSON body, null included', async () => {
    const alice = await user('alice');
    await alice.request('room.join', { room: 'public:json' });
    for (const body of [null, 0, false, '', [1, 'two'], { nested: { deep: [null] } }, { constructor: 'Bob', toString: 1, prototype: { constructor: null } }]) {
      const ack = await alice.request('room.publish', { room: 'public:json', body });
      expect((await alice.next((f) => f.type === 'message' && f.data.messageId === ack.data.messageId)).data.body).toEqual(body);
    }
  });

  it('acks leaving a room the session is not in', async () => {
    const alice = await user('alice');
    expect(await alice.request('room.leave', { room: 'public:never' })).toMatchObject({ type: 'ack', data: { room: 'public:never' } });
  });

  it('sends a direct message to every session of the recipient and reports how many were reached', async () => {
    const [alice, bob1, bob2] = await Promise.all([user('alice'), user('bob'), user('bob')]);
    const ack = await alice.request('direct.send', { to: 'bob', body: { text: 'psst' } });
    expect(ack.data).toEqual({ messageId: expect.any(String), delivered: 2 });
    for (const bob of [bob1, bob2]) {
      const direct = await bob.nextOfType('direct');
      // Its position in bob's stream (docs/protocol.md, section 10.1).
      expect(direct.data).toEqual({ from: 'alice', body: { text: 'psst' }, messageId: ack.data.messageId, ts: expect.any(Number), offset: 1, epoch: expect.any(String) });
    }
    expect((await alice.request('direct.send', { to: 'nobody', body: 1 })).data.delivered).toBe(0);
  });

  it('runs the typing example extension for members only', async () => {
    const [alice, bob] = await Promise.all([user('alice'), user('bob')]);
    expect((await alice.request('typing', { room: 'public:t', typing: true })).data.code).toBe('FORBIDDEN');
    await alice.request('room.join', { room: 'public:t' });
    await bob.request('room.join', { room: 'public:t' });
    expect((await alice.request('typing', { room: 'public:t', typing: true })).data).toEqual({ room: 'public:t' });
    expect((await bob.nextOfType('typing')).data).toEqual({ room: 'public:t', userId: 'alice', typing: true });
  });
});

describe('example modules', () => {
  const startServer = serversPerTest();

  it('loads none unless EXAMPLES asks: typing is an unknown type by default', async () => {
    const server = await startServer();
    const client = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice' }) });
    await client.request('room.join', { room: 'public:t' });
    expect((await client.request('typing', { room: 'public:t', typing: true })).data.code).toBe('UNKNOWN_TYPE');
    await client.close();
  });
});
