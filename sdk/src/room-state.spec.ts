import { describe, expect, it, jest } from '@jest/globals';
import type { RoomMessageData } from './protocol';
import { RECOVERY_BACKOFF, RECOVERY_RETRIES } from './retrying-requests';
import { RoomState } from './room-state';
import { flush, setup, useFakeClientClock } from './testing/harness';

const msg = (offset: number, epoch = 'e1', room = 'public:a'): RoomMessageData => ({
  room,
  messageId: `${epoch}-${offset}`,
  from: 'bob',
  body: offset,
  ts: 1,
  offset,
  epoch,
});

describe('RoomState', () => {
  const handler = () => undefined;

  it('delivers messages of joined rooms only', () => {
    const rooms = new RoomState();
    rooms.add('public:a', handler);
    expect(rooms.accept(msg(1))).toBe(handler);
    expect(rooms.accept(msg(1, 'e1', 'public:other'))).toBeUndefined();
  });

  it('drops a message whose offset is not above the last one of the same epoch', () => {
    const rooms = new RoomState();
    rooms.add('public:a', handler);
    const delivered = [1, 2, 2, 1, 3, 5, 4, 5, 6].filter((offset) => rooms.accept(msg(offset)) !== undefined);
    expect(delivered).toEqual([1, 2, 3, 5, 6]);
    expect(rooms.position('public:a')).toEqual({ offset: 6, epoch: 'e1' });
  });

  it('restarts at a message of another epoch (offsets restarted), then dedupes within it', () => {
    const rooms = new RoomState();
    rooms.add('public:a', handler);
    for (const offset of [7, 8, 9]) rooms.accept(msg(offset));
    expect(rooms.accept(msg(1, 'e2'))).toBe(handler);
    expect(rooms.position('public:a')).toEqual({ offset: 1, epoch: 'e2' });
    expect(rooms.accept(msg(1, 'e2'))).toBeUndefined();
    expect(rooms.accept(msg(9, 'e1'))).toBe(handler); // an epoch change again: a message of another epoch is never a duplicate
  });

  it('resumes from the newer of the last delivered message and the join ack', () => {
    const rooms = new RoomState();
    rooms.add('public:a', handler);
    rooms.applyAck('public:a', { offset: 4, epoch: 'e1' });
    expect(rooms.position('public:a')).toEqual({ offset: 4, epoch: 'e1' });
    rooms.accept(msg(5));
    rooms.applyAck('public:a', { offset: 3, epoch: 'e1' }); // older: ignored
    expect(rooms.position('public:a')).toEqual({ offset: 5, epoch: 'e1' });
    rooms.applyAck('public:a', { offset: 2, epoch: 'e2' }); // a new epoch: the ack wins
    expect(rooms.position('public:a')).toEqual({ offset: 2, epoch: 'e2' });
    rooms.accept(msg(3, 'e2'));
    expect(rooms.position('public:a')).toEqual({ offset: 3, epoch: 'e2' });
  });

  it('never drops a message because of a join ack: a live message can race the ack (protocol section 10)', () => {
    const rooms = new RoomState();
    rooms.add('public:a', handler);
    rooms.applyAck('public:a', { offset: 4, epoch: 'e1' }); // the server counted message 4 in the ack...
    expect(rooms.accept(msg(4))).toBe(handler); // ...but wrote it after the ack: never delivered, so delivered now
    expect(rooms.accept(msg(4))).toBeUndefined();
    expect(rooms.position('public:a')).toEqual({ offset: 4, epoch: 'e1' });
  });

  it('delivers messages without offsets (an older server) and ignores acks without a position', () => {
    const rooms = new RoomState();
    rooms.add('public:a', handler);
    rooms.applyAck('public:a', { offset: undefined, epoch: undefined });
    const legacy = { room: 'public:a', messageId: 'x', from: 'bob', body: 1, ts: 1 } as RoomMessageData;
    expect(rooms.accept(legacy)).toBe(handler);
    expect(rooms.accept(legacy)).toBe(handler);
    expect(rooms.position('public:a')).toBeUndefined();
  });

  it('keeps the position when the handler is replaced, and forgets it on remove', () => {
    const rooms = new RoomState();
    const other = () => undefined;
    expect(rooms.add('public:a', handler)).toBe(true);
    rooms.accept(msg(3));
    expect(rooms.add('public:a', other)).toBe(false);
    expect(rooms.accept(msg(4))).toBe(other);
    expect(rooms.position('public:a')).toEqual({ offset: 4, epoch: 'e1' });
    rooms.remove('public:a');
    expect(rooms.position('public:a')).toBeUndefined();
  });
});

describe('RealtimeClient rooms, re-join and recovery', () => {
  useFakeClientClock();

  /** Connects and joins public:a at offset `offset` of epoch e1; returns what the handler got. */
  const joinedClient = async (offset = 2) => {
    const h = setup();
    const { socket } = await h.connect();
    const received: RoomMessageData[] = [];
    const joined = h.client.join('public:a', (m) => received.push(m));
    const request = socket.lastSent('room.join');
    expect(request.data).toEqual({ room: 'public:a' });
    socket.ack(request, { room: 'public:a', offset, epoch: 'e1' });
    await expect(joined).resolves.toEqual({ room: 'public:a', offset, epoch: 'e1' });
    return { h, socket, received, bodies: () => received.map((m) => m.body) };
  };

  it('delivers each live message once, dropping duplicates and rooms not joined', async () => {
    const { h, socket, bodies } = await joinedClient(2);
    for (const offset of [2, 3, 3, 2, 4, 4, 5]) socket.receive({ type: 'message', data: msg(offset) });
    socket.receive({ type: 'message', data: msg(1, 'e1', 'public:not-joined') });
    expect(bodies()).toEqual([2, 3, 4, 5]); // 2 raced the join ack (which counted it): delivered once
    h.client.close();
  });

  it('re-joins every room after a reconnect with since = the last position seen', async () => {
    const { h, socket, bodies } = await joinedClient(2);
    const receivedB: unknown[] = [];
    const joinedB = h.client.join('public:b', (m) => receivedB.push(m.body));
    socket.ack(socket.lastSent('room.join'), { room: 'public:b', offset: 0, epoch: 'eb' });
    await joinedB;
    socket.receive({ type: 'message', data: msg(3) });
    socket.serverClose(1006);
    expect(h.client.joinedRooms).toEqual(['public:a', 'public:b']);

    const second = await h.reconnect();
    expect(second.sentOfType('room.join').map((f) => f.data)).toEqual([
      { room: 'public:a', since: { offset: 3, epoch: 'e1' } },
      { room: 'public:b', since: { offset: 0, epoch: 'eb' } },
    ]);
    // recovered: the missed messages come before the ack, each delivered once
    const [joinA, joinB] = second.sentOfType('room.join');
    for (const offset of [3, 4, 5]) second.receive({ type: 'message', data: msg(offset) });
    second.ack(joinA, { room: 'public:a', offset: 5, epoch: 'e1', recovered: true });
    second.ack(joinB, { room: 'public:b', offset: 0, epoch: 'eb', recovered: true });
    await flush();
    expect(bodies()).toEqual([3, 4, 5]);
    expect(h.events.recovery).toEqual([
      { room: 'public:a', recovered: true, offset: 5, epoch: 'e1' },
      { room: 'public:b', recovered: true, offset: 0, epoch: 'eb' },
    ]);
    // a live message racing the ack with an offset already seen is dropped
    second.receive({ type: 'message', data: msg(5) });
    second.receive({ type: 'message', data: msg(6) });
    expect(bodies()).toEqual([3, 4, 5, 6]);
    h.client.close();
  });

  it('emits recovered:false and continues from the ack position of a new epoch', async () => {
    const { h, socket, bodies } = await joinedClient(7);
    socket.serverClose(1001, 'server shutting down');
    const second = await h.reconnect();
    expect(second.lastSent('room.join').data).toEqual({ room: 'public:a', since: { offset: 7, epoch: 'e1' } });
    second.ack(second.lastSent('room.join'), { room: 'public:a', offset: 2, epoch: 'e2', recovered: false });
    await flush();
    expect(h.events.recovery).toEqual([{ room: 'public:a', recovered: false, offset: 2, epoch: 'e2' }]);
    for (const offset of [3, 3]) second.receive({ type: 'message', data: msg(offset, 'e2') });
    expect(bodies()).toEqual([3]);
    // the next reconnect resumes from the new epoch
    second.serverClose(1006);
    const third = await h.reconnect();
    expect(third.lastSent('room.join').data).toEqual({ room: 'public:a', since: { offset: 3, epoch: 'e2' } });
    h.client.close();
  });

  it('emits recovered:false when the same epoch could not be replayed, and resumes from the ack offset', async () => {
    const { h, socket, bodies } = await joinedClient(1);
    socket.serverClose(4008, 'slow consumer');
    const second = await h.reconnect();
    expect(second.lastSent('room.join').data).toEqual({ room: 'public:a', since: { offset: 1, epoch: 'e1' } });
    second.ack(second.lastSent('room.join'), { room: 'public:a', offset: 40, epoch: 'e1', recovered: false });
    await flush();
    expect(h.events.recovery).toEqual([{ room: 'public:a', recovered: false, offset: 40, epoch: 'e1' }]);
    second.serverClose(1006);
    const third = await h.reconnect();
    expect(third.lastSent('room.join').data).toEqual({ room: 'public:a', since: { offset: 40, epoch: 'e1' } });
    third.receive({ type: 'message', data: msg(41) });
    third.receive({ type: 'message', data: msg(41) });
    expect(bodies()).toEqual([41]);
    h.client.close();
  });

  it('re-joins after connect() following a terminal close; drops a room whose re-join is refused, with an error event', async () => {
    const { h, socket, bodies } = await joinedClient(1);
    socket.serverClose(4001, 'token expired'); // terminal without getToken; the rooms are kept
    expect(h.client.state).toBe('closed');
    await h.connect(); // the app connects again (with a new token in real life): the rooms are re-joined
    const third = h.fake.last();
    third.error(third.lastSent('room.join'), 'FORBIDDEN', 'the token does not permit this room');
    await flush();
    expect(h.events.error).toEqual([expect.objectContaining({ code: 'FORBIDDEN', room: 'public:a' })]);
    expect(h.client.joinedRooms).toEqual([]);
    third.receive({ type: 'message', data: msg(2) });
    expect(bodies()).toEqual([]);
    h.client.close();
  });

  it('keeps the rooms for the next welcome when a re-join is cut by another disconnect', async () => {
    const { h, socket } = await joinedClient(1);
    socket.serverClose(1006);
    const second = await h.reconnect();
    second.serverClose(1006); // before the re-join ack
    await flush();
    expect(h.events.error).toEqual([]);
    expect(h.client.joinedRooms).toEqual(['public:a']);
    const third = await h.reconnect();
    expect(third.lastSent('room.join').data).toEqual({ room: 'public:a', since: { offset: 1, epoch: 'e1' } });
    h.client.close();
  });

  it('retries a re-join refused for now (UNAVAILABLE, RATE_LIMITED) with backoff, then gives up after RECOVERY_RETRIES', async () => {
    const { h, socket } = await joinedClient(1);
    socket.serverClose(1006);
    const second = await h.reconnect();
    const joins = () => second.sentOfType('room.join');
    second.error(joins()[0], 'UNAVAILABLE', 'the store is failing over');
    await jest.advanceTimersByTimeAsync(RECOVERY_BACKOFF.minMs);
    expect(joins()).toHaveLength(2);
    second.error(joins()[1], 'RATE_LIMITED', 'user rate limit exceeded; slow down');
    await jest.advanceTimersByTimeAsync(2 * RECOVERY_BACKOFF.minMs);
    expect(joins()).toHaveLength(3);
    expect(joins()[2].data).toEqual({ room: 'public:a', since: { offset: 1, epoch: 'e1' } });
    second.ack(joins()[2], { room: 'public:a', offset: 1, epoch: 'e1', recovered: true });
    await flush();
    expect(h.events.recovery).toEqual([{ room: 'public:a', recovered: true, offset: 1, epoch: 'e1' }]);
    expect(h.events.error).toEqual([]);

    second.serverClose(1006);
    const third = await h.reconnect({ heartbeatIntervalMs: 0 }); // the fake server answers no ping
    for (let attempt = 0; attempt <= RECOVERY_RETRIES; attempt++) {
      third.error(third.lastSent('room.join'), 'UNAVAILABLE', 'still failing over');
      await jest.advanceTimersByTimeAsync(RECOVERY_BACKOFF.maxMs);
    }
    expect(third.sentOfType('room.join')).toHaveLength(RECOVERY_RETRIES + 1);
    expect(h.events.error).toEqual([expect.objectContaining({ code: 'UNAVAILABLE', room: 'public:a' })]);
    expect(h.client.joinedRooms).toEqual([]);
    h.client.close();
  });

  it('drops a pending re-join retry when the socket goes away, and re-joins once on the next welcome', async () => {
    const { h, socket } = await joinedClient(1);
    socket.serverClose(1006);
    const second = await h.reconnect();
    second.error(second.lastSent('room.join'), 'UNAVAILABLE', 'the store is failing over');
    await flush();
    second.serverClose(1006); // before the retry fires
    const third = await h.reconnect({ heartbeatIntervalMs: 0 }); // the fake server answers no ping
    await jest.advanceTimersByTimeAsync(RECOVERY_BACKOFF.maxMs);
    expect(second.sentOfType('room.join')).toHaveLength(1);
    expect(third.sentOfType('room.join')).toHaveLength(1);
    h.client.close();
  });

  it('leave() stops delivery at once and the room is not re-joined', async () => {
    const { h, socket, bodies } = await joinedClient(1);
    const left = h.client.leave('public:a');
    expect(socket.lastSent().type).toBe('room.leave');
    socket.receive({ type: 'message', data: msg(2) }); // in flight before the server handled the leave
    socket.ack(socket.lastSent('room.leave'), { room: 'public:a' });
    await expect(left).resolves.toEqual({ room: 'public:a' });
    expect(bodies()).toEqual([]);
    socket.serverClose(1006);
    const second = await h.reconnect();
    expect(second.sentOfType('room.join')).toEqual([]);
    h.client.close();
  });

  it('leave() while disconnected resolves without a request', async () => {
    const { h, socket } = await joinedClient(1);
    socket.serverClose(1006);
    await expect(h.client.leave('public:a')).resolves.toEqual({ room: 'public:a' });
    const second = await h.reconnect();
    expect(second.sent.filter((f) => f.type !== 'ping')).toEqual([]);
    h.client.close();
  });

  it('a second join replaces the handler and keeps the position', async () => {
    const { h, socket, bodies } = await joinedClient(1);
    socket.receive({ type: 'message', data: msg(2) });
    const other: unknown[] = [];
    const again = h.client.join('public:a', (m) => other.push(m.body));
    socket.ack(socket.lastSent('room.join'), { room: 'public:a', offset: 2, epoch: 'e1' });
    await again;
    socket.receive({ type: 'message', data: msg(2) });
    socket.receive({ type: 'message', data: msg(3) });
    expect(bodies()).toEqual([2]);
    expect(other).toEqual([3]);
    h.client.close();
  });

  it('routes direct, presence and unknown server events', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.receive({ type: 'direct', data: { from: 'bob', body: 'yo', messageId: 'd', ts: 1 } });
    socket.receive({ type: 'presence.join', data: { room: 'public:a', userId: 'bob', sessionId: 's2' } });
    socket.receive({ type: 'presence.leave', data: { room: 'public:a', userId: 'bob', sessionId: 's2' } });
    socket.receive({ type: 'typing', data: { room: 'public:a', userId: 'bob', typing: true } });
    expect(h.events.direct).toEqual([{ from: 'bob', body: 'yo', messageId: 'd', ts: 1 }]);
    expect(h.events.presence).toEqual([
      { kind: 'join', room: 'public:a', userId: 'bob', sessionId: 's2' },
      { kind: 'leave', room: 'public:a', userId: 'bob', sessionId: 's2' },
    ]);
    expect(h.events.event).toEqual([{ type: 'typing', data: { room: 'public:a', userId: 'bob', typing: true } }]);
    h.client.close();
  });
});
