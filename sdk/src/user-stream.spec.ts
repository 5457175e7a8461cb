import { describe, expect, it, jest } from '@jest/globals';
import type { DirectMessageData } from './protocol';
import { RECOVERY_BACKOFF, RECOVERY_RETRIES } from './retrying-requests';
import { flush, setup, useFakeClientClock } from './testing/harness';
import { UserStream } from './user-stream';

const dm = (offset: number, epoch = 'u1'): DirectMessageData => ({ from: 'bob', body: offset, messageId: `${epoch}-${offset}`, ts: 1, offset, epoch });
const at = (offset: number, epoch = 'u1') => ({ offset, epoch });

describe('UserStream', () => {
  const stream = (since?: { offset: number; epoch: string }) => {
    const delivered: unknown[] = [];
    return { s: new UserStream((m) => delivered.push(m.body), since), delivered };
  };

  it('delivers each direct once, dropping offsets not above the last one of the epoch; a new epoch restarts', () => {
    const { s, delivered } = stream();
    expect(s.welcomed(at(0))).toBeUndefined();
    for (const offset of [1, 2, 2, 1, 3]) s.receive(dm(offset));
    s.receive(dm(1, 'u2'));
    s.receive({ from: 'old-server', body: 'no position', messageId: 'x', ts: 1 } as DirectMessageData);
    expect(delivered).toEqual([1, 2, 3, 1, 'no position']);
    expect(s.position).toEqual(at(1, 'u2'));
  });

  it('asks to recover from the last delivered position only when the welcome announces a different one', () => {
    const { s } = stream();
    expect(s.welcomed(undefined)).toBeUndefined(); // an older server, or its store was unavailable
    expect(s.welcomed(at(4))).toBeUndefined(); // first sight of the stream: nothing to recover
    s.receive(dm(5));
    expect(s.welcomed(at(5))).toBeUndefined(); // nothing missed
    expect(s.welcomed(at(9))).toEqual(at(5));
    expect(stream(at(2, 'u0')).s.welcomed(at(9))).toEqual(at(2, 'u0')); // directSince from an earlier client
  });

  it('holds live frames during a recovery and delivers them with the replay in offset order, each once', () => {
    const { s, delivered } = stream(at(3));
    expect(s.welcomed(at(6))).toEqual(at(3));
    // a live 7 written before the server read user.recover, then the replay 4..6, then a live 8
    for (const offset of [7, 4, 5, 6, 8, 5]) s.receive(dm(offset));
    expect(delivered).toEqual([]);
    s.recovered(at(6));
    expect(delivered).toEqual([4, 5, 6, 7, 8]);
    s.receive(dm(8));
    s.receive(dm(9));
    expect(delivered).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('after recovered: false (or a failed recovery), delivers the live frames and resumes from the ack', () => {
    const { s, delivered } = stream(at(3, 'old'));
    s.welcomed(at(6));
    s.receive(dm(7));
    s.recovered({ offset: 6, epoch: 'u1' });
    expect(delivered).toEqual([7]);
    expect(s.position).toEqual(at(7));
    s.welcomed(at(9));
    s.receive(dm(10));
    s.recovered(undefined);
    expect(delivered).toEqual([7, 10]);
  });
});

describe('RealtimeClient direct messages and their recovery', () => {
  useFakeClientClock();

  const bodies = (h: ReturnType<typeof setup>) => h.events.direct.map((m) => m.body);

  it('sends user.recover after a reconnect and emits the missed messages once, in order, then directRecovery', async () => {
    const h = setup();
    const { socket } = await h.connect({ userStream: at(2) });
    expect(socket.sentOfType('user.recover')).toEqual([]); // the first welcome is where the client starts
    socket.receive({ type: 'direct', data: dm(3) });
    socket.serverClose(1006);
    const second = await h.reconnect({ userStream: at(6) });
    const recover = second.lastSent('user.recover');
    expect(recover.data).toEqual({ since: at(3) });
    for (const offset of [7, 4, 5, 6]) second.receive({ type: 'direct', data: dm(offset) });
    expect(bodies(h)).toEqual([3]);
    second.ack(recover, { ...at(6), recovered: true });
    await flush();
    expect(bodies(h)).toEqual([3, 4, 5, 6, 7]);
    expect(h.events.directRecovery).toEqual([{ recovered: true, ...at(6) }]);
    expect(h.client.directPosition).toEqual(at(7));
    h.client.close();
  });

  it('recovers from directSince on the first welcome (a page reload), and retries a recovery refused for now', async () => {
    const h = setup({ directSince: at(1) });
    const { socket } = await h.connect({ userStream: at(2), heartbeatIntervalMs: 0 });
    socket.error(socket.lastSent('user.recover'), 'UNAVAILABLE', 'the store is failing over');
    await jest.advanceTimersByTimeAsync(RECOVERY_BACKOFF.minMs);
    const retry = socket.sentOfType('user.recover');
    expect(retry.map((f) => f.data)).toEqual([{ since: at(1) }, { since: at(1) }]);
    socket.receive({ type: 'direct', data: dm(2) });
    socket.ack(retry[1], { ...at(2), recovered: true });
    await flush();
    expect(bodies(h)).toEqual([2]);
    expect(h.events.error).toEqual([]);
    h.client.close();
  });

  it('gives a recovery up after the retries with an error event, and delivers what was held', async () => {
    const h = setup({ directSince: at(1) });
    const { socket } = await h.connect({ userStream: at(2), heartbeatIntervalMs: 0 });
    socket.receive({ type: 'direct', data: dm(3) });
    for (let attempt = 0; attempt <= RECOVERY_RETRIES; attempt++) {
      socket.error(socket.lastSent('user.recover'), 'UNAVAILABLE', 'still failing over');
      await jest.advanceTimersByTimeAsync(RECOVERY_BACKOFF.maxMs);
    }
    expect(socket.sentOfType('user.recover')).toHaveLength(RECOVERY_RETRIES + 1);
    expect(h.events.error).toEqual([expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining('recovering direct messages') })]);
    expect(bodies(h)).toEqual([3]);
    h.client.close();
  });
});
