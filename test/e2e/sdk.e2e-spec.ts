import { WebSocket } from 'ws';
import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import {
  RealtimeClient,
  RealtimeError,
  type ConnectionState,
  type PublishAck,
  type RealtimeClientOptions,
  type RealtimeEvents,
  type RoomMessageData,
} from '../../sdk/src';
import { serversPerTest, startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';

const FAST = { RATE_LIMIT_PER_SEC: '10000', RATE_LIMIT_BURST: '10000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000' };

/** The SDK against the real server, with `ws` as the WebSocket. */
describe('SDK (RealtimeClient) end to end', () => {
  let server: TestServer;
  const clients: RealtimeClient[] = [];
  const perTest = serversPerTest();

  beforeAll(async () => {
    server = await startServer(FAST);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => server.close());

  const sessions = (target: TestServer = server) => [...target.app.get(ConnectionRegistryService).all()];

  /** A connected client for `sub` (token rooms: `rooms`, or the server's DEFAULT_ROOMS). */
  const user = async (sub: string, rooms?: string[], options: Partial<RealtimeClientOptions> = {}, target: TestServer = server) => {
    const token = await mintToken({ sub, rooms });
    const client = new RealtimeClient({ url: target.wsUrl, token, WebSocket, backoff: { minMs: 50, maxMs: 200 }, ...options });
    clients.push(client);
    await client.connect();
    return client;
  };

  /** Collects the messages a room handler receives. */
  const inbox = () => {
    const messages: RoomMessageData[] = [];
    return { messages, handler: (m: RoomMessageData) => messages.push(m), bodies: () => messages.map((m) => m.body) };
  };

  /** Records one event type. */
  const record = <K extends keyof RealtimeEvents>(client: RealtimeClient, event: K) => {
    const seen: RealtimeEvents[K][] = [];
    client.on(event, (payload) => seen.push(payload));
    return seen;
  };

  it('connects through the token query parameter and resolves with the welcome', async () => {
    const token = await mintToken({ sub: 'alice' });
    const client = new RealtimeClient({ url: server.wsUrl, token, WebSocket });
    clients.push(client);
    const states = record(client, 'state');
    const welcome = await client.connect();
    expect(welcome).toEqual({
      sessionId: expect.any(String),
      userId: 'alice',
      heartbeatIntervalMs: server.config.heartbeatIntervalMs,
      heartbeatTimeoutMs: server.config.heartbeatTimeoutMs,
      maxPayloadBytes: expect.any(Number),
      tokenExp: expect.any(Number),
      tokenExpiresInMs: expect.any(Number),
      userStream: { offset: 0, epoch: expect.any(String) },
    });
    expect(client.state).toBe('open');
    expect(states).toEqual(['connecting', 'open']);
    expect(sessions().some((s) => s.id === welcome.sessionId)).toBe(true);
  });

  it('joins, publishes and receives room messages with offsets, each once', async () => {
    const [alice, bob] = await Promise.all([user('alice'), user('bob')]);
    const aliceBox = inbox();
    const bobBox = inbox();
    const joined = await alice.join('public:sdk-chat', aliceBox.handler);
    expect(joined).toEqual({ room: 'public:sdk-chat', offset: expect.any(Number), epoch: expect.any(String) });
    await bob.join('public:sdk-chat', bobBox.handler);
    const ack = await alice.publish('public:sdk-chat', { text: 'hello' });
    expect(ack).toEqual({ messageId: expect.any(String), ts: expect.any(Number), offset: joined.offset + 1, epoch: joined.epoch });
    await bob.publish('public:sdk-chat', 'second');
    await waitFor(() => aliceBox.messages.length === 2 && bobBox.messages.length === 2);
    for (const box of [aliceBox, bobBox]) {
      expect(box.messages[0]).toEqual({
        room: 'public:sdk-chat',
        messageId: ack.messageId,
        from: 'alice',
        body: { text: 'hello' },
        ts: ack.ts,
        offset: ack.offset,
        epoch: ack.epoch,
      });
      expect(box.bodies()).toEqual([{ text: 'hello' }, 'second']);
    }
    await alice.leave('public:sdk-chat');
    await bob.publish('public:sdk-chat', 'after leave');
    await waitFor(() => bobBox.messages.length === 3);
    expect(aliceBox.messages).toHaveLength(2);
  });

  it('sends and receives direct messages', async () => {
    const [alice, bob] = await Promise.all([user('alice'), user('bob')]);
    const received = record(bob, 'direct');
    const ack = await alice.direct('bob', { text: 'psst' });
    expect(ack).toEqual({ messageId: expect.any(String), delivered: 1 });
    await waitFor(() => received.length === 1);
    expect(received[0]).toEqual({ from: 'alice', body: { text: 'psst' }, messageId: ack.messageId, ts: expect.any(Number), offset: 1, epoch: expect.any(String) });
    await expect(alice.direct('nobody-here', 1)).resolves.toMatchObject({ delivered: 0 });
  });

  it('reports presence events and answers presence()', async () => {
    const [alice, bob] = await Promise.all([user('alice'), user('bob')]);
    const events = record(alice, 'presence');
    await alice.join('public:sdk-presence', () => undefined);
    await bob.join('public:sdk-presence', () => undefined);
    const bobSession = bob.welcome!.sessionId;
    await waitFor(() => events.length === 1);
    expect(events[0]).toEqual({ kind: 'join', room: 'public:sdk-presence', userId: 'bob', sessionId: bobSession });
    const snapshot = await bob.presence('public:sdk-presence');
    expect(snapshot).toEqual({
      room: 'public:sdk-presence',
      members: [
        { userId: 'alice', sessionId: alice.welcome!.sessionId },
        { userId: 'bob', sessionId: bobSession },
      ],
    });
    await bob.leave('public:sdk-presence');
    await waitFor(() => events.length === 2);
    expect(events[1]).toEqual({ kind: 'leave', room: 'public:sdk-presence', userId: 'bob', sessionId: bobSession });
  });

  it('pages history backwards in ascending order', async () => {
    const alice = await user('alice');
    for (let i = 1; i <= 5; i++) await alice.publish('public:sdk-history', i);
    const last = await alice.history('public:sdk-history', { limit: 2 });
    expect(last).toMatchObject({ room: 'public:sdk-history', offset: expect.any(Number), epoch: expect.any(String) });
    expect(last.messages.map((m) => m.body)).toEqual([4, 5]);
    const before = await alice.history('public:sdk-history', { limit: 2, before: last.messages[0].offset });
    expect(before.messages.map((m) => m.body)).toEqual([2, 3]);
    expect(before.messages[0].offset).toBeLessThan(before.messages[1].offset);
  });

  it('rejects refused requests with a RealtimeError carrying the code (and details)', async () => {
    const alice = await user('alice', ['public:*']);
    const forbidden = await alice.join('private:secret', () => undefined).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(RealtimeError);
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', message: 'the token does not permit this room' });
    expect(alice.joinedRooms).toEqual([]);
    await expect(alice.publish('private:secret', 1)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(alice.history('private:secret')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const invalid = await alice.history('public:ok', { limit: 1000 }).catch((e: RealtimeError) => e);
    expect(invalid).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'limit', constraints: expect.any(Array) }] });
    await expect(alice.request('no.such.type')).rejects.toMatchObject({ code: 'UNKNOWN_TYPE' });
    expect(alice.state).toBe('open'); // errors never close the connection
  });

  it('reconnects after the server terminates the socket, re-joins its rooms and recovers what it missed', async () => {
    // bob waits at least 250 ms before reconnecting, so the publishes below happen while he is away
    const [alice, bob] = await Promise.all([user('alice'), user('bob', undefined, { backoff: { minMs: 500, maxMs: 500 } })]);
    const box = inbox();
    await bob.join('public:sdk-recover', box.handler);
    await alice.publish('public:sdk-recover', 'before');
    await waitFor(() => box.messages.length === 1);
    const states = record(bob, 'state');
    const closes = record(bob, 'close');
    const recoveries = record(bob, 'recovery');
    const firstSession = bob.welcome!.sessionId;

    // Terminate bob's socket on the server, and publish while he is away.
    sessions().find((s) => s.id === firstSession)!.socket.terminate();
    await waitFor(() => bob.state === 'reconnecting');
    await alice.publish('public:sdk-recover', 'missed 1');
    await alice.publish('public:sdk-recover', 'missed 2');

    await waitFor(() => recoveries.length === 1, 5000);
    expect(closes[0]).toEqual({ code: 1006, reason: '', willReconnect: true });
    expect(states).toEqual(['reconnecting', 'open'] satisfies ConnectionState[]);
    const secondSession = bob.welcome!.sessionId;
    expect(secondSession).not.toBe(firstSession);
    expect(sessions().find((s) => s.id === secondSession)!.rooms.has('public:sdk-recover')).toBe(true);
    expect(recoveries[0]).toEqual({ room: 'public:sdk-recover', recovered: true, offset: expect.any(Number), epoch: expect.any(String) });
    expect(box.bodies()).toEqual(['before', 'missed 1', 'missed 2']);

    // Live delivery continues on the new connection, without duplicates.
    await alice.publish('public:sdk-recover', 'after');
    await waitFor(() => box.messages.length === 4);
    expect(box.bodies()).toEqual(['before', 'missed 1', 'missed 2', 'after']);
    const offsets = box.messages.map((m) => m.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(4);
  });

  it('reports recovered: false when the missed messages are beyond the history window', async () => {
    const small = await perTest({ ...FAST, HISTORY_SIZE: '3' });
    const away = { backoff: { minMs: 500, maxMs: 500 } };
    const [alice, bob] = await Promise.all([user('alice', undefined, {}, small), user('bob', undefined, away, small)]);
    const box = inbox();
    await bob.join('public:sdk-window', box.handler);
    const recoveries = record(bob, 'recovery');
    sessions(small).find((s) => s.id === bob.welcome!.sessionId)!.socket.terminate();
    await waitFor(() => bob.state === 'reconnecting');
    let last: PublishAck | undefined;
    for (let i = 0; i < 10; i++) last = await alice.publish('public:sdk-window', i);
    await waitFor(() => recoveries.length === 1, 5000);
    expect(recoveries[0]).toEqual({ room: 'public:sdk-window', recovered: false, offset: last!.offset, epoch: last!.epoch });
    expect(box.messages).toEqual([]); // nothing replayed: the app resyncs, e.g. with history()
    expect((await bob.history('public:sdk-window')).messages.map((m) => m.body)).toEqual([7, 8, 9]);
  });

  it('after a failed refresh and the 4001 that follows, fetches a fresh token with getToken and keeps its rooms', async () => {
    const short = await perTest({ ...FAST, HEARTBEAT_INTERVAL_MS: '200', HEARTBEAT_TIMEOUT_MS: '100' });
    // the first token expires within 1-2 s; the refresh before then fails; the next tokens are good for an hour
    const getToken = jest
      .fn<Promise<string>, []>()
      .mockImplementationOnce(() => mintToken({ sub: 'carol', expiresIn: 2 }))
      .mockRejectedValueOnce(new Error('auth server down'))
      .mockImplementation(() => mintToken({ sub: 'carol', expiresIn: 3600 }));
    const carol = await user('carol', undefined, { token: undefined, getToken }, short);
    const errors = record(carol, 'error');
    const box = inbox();
    await carol.join('public:sdk-token', box.handler);
    const closes = record(carol, 'close');
    await waitFor(() => closes.length === 1, 4000);
    expect(closes[0]).toEqual({ code: 4001, reason: 'token expired', willReconnect: true });
    await waitFor(() => carol.state === 'open', 3000);
    expect(errors.map((e) => e.code)).toEqual(['TOKEN_ERROR']);
    expect(getToken).toHaveBeenCalledTimes(3);
    await waitFor(() => sessions(short).some((s) => s.userId === 'carol' && s.rooms.has('public:sdk-token')));
    const alice = await user('alice', undefined, {}, short);
    await alice.publish('public:sdk-token', 'still here');
    await waitFor(() => box.messages.length === 1);
  });

  it('refreshes its token with getToken + auth.refresh before it expires: one connection outlives three tokens', async () => {
    const getToken = jest.fn(() => mintToken({ sub: 'erin', expiresIn: 3 }));
    const erin = await user('erin', undefined, { token: undefined, getToken });
    const closes = record(erin, 'close');
    const errors = record(erin, 'error');
    const session = erin.welcome!.sessionId;
    await new Promise((resolve) => setTimeout(resolve, 7_500));
    expect(closes).toEqual([]);
    expect(errors).toEqual([]);
    expect(getToken.mock.calls.length).toBeGreaterThanOrEqual(4); // the first token and at least 3 refreshes
    expect(sessions().filter((s) => s.userId === 'erin').map((s) => s.id)).toEqual([session]);
    expect(sessions().find((s) => s.id === session)!.tokenExp).toBeGreaterThan(Date.now() / 1000);
  }, 15_000);

  it('close() ends the session for good: the server sees it leave and no reconnect follows', async () => {
    const bob = await user('bob');
    await bob.join('public:sdk-close', () => undefined);
    const session = bob.welcome!.sessionId;
    bob.close();
    expect(bob.state).toBe('closed');
    await waitFor(() => !sessions().some((s) => s.id === session));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sessions().some((s) => s.userId === 'bob')).toBe(false);
    await expect(bob.publish('public:sdk-close', 1)).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
