import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RealtimeError } from './errors';
import { RequestTracker } from './request-tracker';
import { flush, setup } from './testing/harness';

describe('RequestTracker', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('gives unique ids and settles each request by its id, in any order', async () => {
    const tracker = new RequestTracker(1000);
    const a = tracker.start<string>('a');
    const b = tracker.start<string>('b');
    expect(a.id).not.toBe(b.id);
    expect(tracker.settle({ type: 'ack', id: b.id, data: 'B' })).toBe(true);
    expect(tracker.settle({ type: 'ack', id: a.id, data: 'A' })).toBe(true);
    await expect(a.promise).resolves.toBe('A');
    await expect(b.promise).resolves.toBe('B');
    expect(tracker.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves a pong with undefined and ignores replies with unknown or missing ids', async () => {
    const tracker = new RequestTracker(1000);
    const ping = tracker.start('ping');
    expect(tracker.settle({ type: 'pong', id: 'nope' })).toBe(false);
    expect(tracker.settle({ type: 'pong' })).toBe(false);
    expect(tracker.settle({ type: 'pong', id: ping.id })).toBe(true);
    await expect(ping.promise).resolves.toBeUndefined();
  });

  it('rejects an error frame with a RealtimeError carrying code, message and details', async () => {
    const tracker = new RequestTracker(1000);
    const request = tracker.start('room.join');
    const details = [{ field: 'room', constraints: ['room must be 1-128 characters'] }];
    tracker.settle({ type: 'error', id: request.id, data: { code: 'VALIDATION_FAILED', message: 'data failed validation', details } });
    const error = await request.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'RealtimeError', code: 'VALIDATION_FAILED', message: 'data failed validation', details });
  });

  it('rejects with TIMEOUT after timeoutMs, then drops the late reply', async () => {
    const tracker = new RequestTracker(1000);
    const request = tracker.start('room.publish');
    const outcome = request.promise.catch((e: RealtimeError) => e);
    await jest.advanceTimersByTimeAsync(999);
    expect(tracker.size).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ code: 'TIMEOUT' });
    expect(tracker.settle({ type: 'ack', id: request.id, data: {} })).toBe(false);
  });

  it('failAll rejects everything in flight and clears every timer', async () => {
    const tracker = new RequestTracker(1000);
    const requests = [tracker.start('a'), tracker.start('b')].map((r) => r.promise.catch((e: RealtimeError) => e));
    tracker.failAll((type) => new RealtimeError('DISCONNECTED', `lost ${type}`));
    expect(await Promise.all(requests)).toEqual([
      expect.objectContaining({ code: 'DISCONNECTED', message: 'lost a' }),
      expect.objectContaining({ code: 'DISCONNECTED', message: 'lost b' }),
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('RealtimeClient requests', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends typed envelopes with generated ids and resolves each with its own ack', async () => {
    const h = setup();
    const { socket } = await h.connect();
    const published = h.client.publish('public:a', { text: 'hi' });
    const sent = h.client.direct('bob', 'yo');
    const presence = h.client.presence('public:a');
    const history = h.client.history('public:a', { limit: 2, before: 10 });
    const [publishFrame, directFrame, presenceFrame, historyFrame] = socket.sent;
    expect(publishFrame).toEqual({ type: 'room.publish', id: expect.any(String), data: { room: 'public:a', body: { text: 'hi' } } });
    expect(directFrame).toEqual({ type: 'direct.send', id: expect.any(String), data: { to: 'bob', body: 'yo' } });
    expect(presenceFrame).toEqual({ type: 'presence.get', id: expect.any(String), data: { room: 'public:a' } });
    expect(historyFrame).toEqual({ type: 'room.history', id: expect.any(String), data: { room: 'public:a', limit: 2, before: 10 } });
    expect(new Set(socket.sent.map((f) => f.id)).size).toBe(4);
    // replies out of order
    socket.ack(historyFrame, { room: 'public:a', offset: 3, epoch: 'e', messages: [] });
    socket.ack(directFrame, { messageId: 'd1', delivered: 2 });
    socket.ack(presenceFrame, { room: 'public:a', members: [] });
    socket.ack(publishFrame, { messageId: 'm1', ts: 1, offset: 4, epoch: 'e' });
    await expect(published).resolves.toEqual({ messageId: 'm1', ts: 1, offset: 4, epoch: 'e' });
    await expect(sent).resolves.toEqual({ messageId: 'd1', delivered: 2 });
    await expect(presence).resolves.toEqual({ room: 'public:a', members: [] });
    await expect(history).resolves.toEqual({ room: 'public:a', offset: 3, epoch: 'e', messages: [] });
    h.client.close();
  });

  it('omits history options that are not given', async () => {
    const h = setup();
    const { socket } = await h.connect();
    void h.client.history('public:a').catch(() => undefined);
    expect(socket.lastSent('room.history').data).toEqual({ room: 'public:a' });
    h.client.close();
  });

  it('rejects on an error frame with a RealtimeError (code, message, details)', async () => {
    const h = setup();
    const { socket } = await h.connect();
    const joined = h.client.join('private:x', () => undefined);
    socket.error(socket.lastSent('room.join'), 'FORBIDDEN', 'the token does not permit this room');
    await expect(joined).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'the token does not permit this room' });
    expect(h.client.joinedRooms).toEqual([]);
    const published = h.client.publish('public:a', 1);
    const details = [{ field: '*', constraints: ['unknown property'] }];
    socket.error(socket.lastSent('room.publish'), 'VALIDATION_FAILED', 'data failed validation', details);
    await expect(published).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details });
    expect(h.events.error).toEqual([]); // request errors are not 'error' events
    h.client.close();
  });

  it('emits an id-less error frame as an error event', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.error(undefined, 'BAD_JSON', 'frame is not valid JSON');
    expect(h.events.error).toEqual([expect.objectContaining({ code: 'BAD_JSON', message: 'frame is not valid JSON' })]);
    socket.receiveRaw('not json');
    expect(h.events.error[1]).toMatchObject({ code: 'BAD_FRAME' });
    h.client.close();
  });

  it('rejects with TIMEOUT after requestTimeoutMs', async () => {
    const h = setup({ requestTimeoutMs: 3000 });
    await h.connect({ heartbeatIntervalMs: 60_000 });
    const published = h.client.publish('public:a', 1).catch((e: RealtimeError) => e);
    await jest.advanceTimersByTimeAsync(2999);
    h.fake.last().receive({ type: 'pong' }); // an unmatched reply: dropped, the request still waits
    await jest.advanceTimersByTimeAsync(1);
    expect(await published).toMatchObject({ code: 'TIMEOUT' });
    h.client.close();
  });

  it('rejects requests in flight with DISCONNECTED when the socket closes first', async () => {
    const h = setup();
    const { socket } = await h.connect();
    const published = h.client.publish('public:a', 1).catch((e: RealtimeError) => e);
    const listed = h.client.presence('public:a').catch((e: RealtimeError) => e);
    socket.serverClose(1006);
    expect(await published).toMatchObject({ code: 'DISCONNECTED', closeCode: 1006 });
    expect(await listed).toMatchObject({ code: 'DISCONNECTED' });
    h.client.close();
  });

  it('rejects at once with DISCONNECTED when not open (nothing is queued)', async () => {
    const h = setup();
    await expect(h.client.publish('public:a', 1)).rejects.toMatchObject({ code: 'DISCONNECTED' });
    const connecting = h.client.connect();
    await flush();
    await expect(h.client.join('public:a', () => undefined)).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(h.fake.last().sent).toEqual([]);
    h.fake.last().welcome();
    await connecting;
    expect(h.fake.last().sent).toEqual([]); // the failed join is not re-joined
    h.client.close();
  });

  it('refuses a frame over maxPayloadBytes without sending it (the server would close with 1009)', async () => {
    const h = setup();
    const { socket } = await h.connect(); // maxPayloadBytes 1024
    await expect(h.client.publish('public:a', 'é'.repeat(600))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(socket.sent).toEqual([]);
    void h.client.publish('public:a', 'é'.repeat(400)).catch(() => undefined);
    expect(socket.sent).toHaveLength(1);
    h.client.close();
  });

  it('rejects a body that cannot be serialised without sending anything', async () => {
    const h = setup();
    const { socket } = await h.connect();
    const body: Record<string, unknown> = {};
    body.self = body;
    await expect(h.client.publish('public:a', body)).rejects.toBeInstanceOf(TypeError);
    expect(socket.sent).toEqual([]);
    expect(jest.getTimerCount()).toBe(2); // only the heartbeat's ping interval and watchdog
    h.client.close();
  });

  it('sends custom request types with request()', async () => {
    const h = setup();
    const { socket } = await h.connect();
    const typing = h.client.request<{ notified: number }>('typing', { room: 'public:a', typing: true });
    socket.ack(socket.lastSent('typing'), { notified: 3 });
    await expect(typing).resolves.toEqual({ notified: 3 });
    h.client.close();
  });
});
