import { RealtimeService } from '../../src/realtime/realtime.service';
import { ConnectionRegistryService } from '../../src/registry/connection-registry.service';
import { expectOfflineDevicesToRecover } from '../support/direct-recovery';
import { usersPerTest } from '../support/per-test';
import { waitFor } from '../support/wait-for';
import { serversPerTest } from '../support/test-app';
import { Frame, TestClient } from '../support/ws-client';

const FAST = { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000' };

/** Per-user streams (docs/protocol.md, section 10.1) on one node, in memory. */
describe('user streams: direct messages recovered on reconnect', () => {
  const startServer = serversPerTest();
  const client = usersPerTest();
  const welcomeOf = (c: TestClient) => c.frames.find((f) => f.type === 'welcome')!.data;
  const directs = (c: TestClient) => c.frames.filter((f) => f.type === 'direct');
  const lastDirect = (c: TestClient) => directs(c).pop()!.data as { offset: number; epoch: string };
  const send = async (from: TestClient, to: string, bodies: unknown[]) => {
    for (const body of bodies) expect((await from.request('direct.send', { to, body })).type).toBe('ack');
  };

  it('lets the SDK recover by itself, on each of two devices, what was sent while they were offline', async () => {
    const server = await startServer(FAST);
    await expectOfflineDevicesToRecover({ phone: server.port, laptop: server.port, sender: server.port });
  });

  it('announces the stream in the welcome, and live direct frames carry their offset and epoch', async () => {
    const server = await startServer(FAST);
    const bob = await client(server, 'bob');
    const alice = await client(server, 'alice');
    expect(welcomeOf(bob).userStream).toEqual({ offset: 0, epoch: expect.any(String) });
    const ack = await alice.request('direct.send', { to: 'bob', body: 'yo' });
    expect(ack.data).toEqual({ messageId: expect.any(String), delivered: 1 });
    const frame = await bob.nextOfType('direct');
    expect(frame.data).toEqual({ from: 'alice', body: 'yo', messageId: ack.data.messageId, ts: expect.any(Number), offset: 1, epoch: welcomeOf(bob).userStream.epoch });
  });

  it('recovers on each of two devices, independently, what was sent while they were offline: once, in order, before the ack', async () => {
    const server = await startServer(FAST);
    const alice = await client(server, 'alice');
    const [phone, laptop] = [await client(server, 'bob'), await client(server, 'bob')];
    await send(alice, 'bob', [1, 2]);
    await phone.next((f) => f.type === 'direct' && f.data.body === 2);
    await laptop.next((f) => f.type === 'direct' && f.data.body === 1);
    // The laptop saw only offset 1 (say it lost the second frame with its connection).
    const phoneAt = lastDirect(phone);
    const laptopAt = directs(laptop)[0].data as { offset: number; epoch: string };
    phone.socket.terminate();
    laptop.socket.terminate();
    await Promise.all([phone.closed, laptop.closed]);
    await waitFor(() => server.app.get(ConnectionRegistryService).ofUser('bob').size === 0, 3000);
    // Offline: stored all the same, delivered to nobody. The admin API's user messages too.
    const offline = await alice.request('direct.send', { to: 'bob', body: 3 });
    expect(offline.data.delivered).toBe(0);
    await server.app.get(RealtimeService).sendToUser('bob', 4);
    await send(alice, 'bob', [5]);

    const phone2 = await client(server, 'bob');
    const laptop2 = await client(server, 'bob');
    expect(welcomeOf(phone2).userStream).toEqual({ offset: 5, epoch: phoneAt.epoch });
    const [phoneAck, laptopAck] = await Promise.all([
      phone2.request('user.recover', { since: { offset: phoneAt.offset, epoch: phoneAt.epoch } }),
      laptop2.request('user.recover', { since: { offset: laptopAt.offset, epoch: laptopAt.epoch } }),
    ]);
    expect(phoneAck.data).toEqual({ offset: 5, epoch: phoneAt.epoch, recovered: true });
    expect(laptopAck.data).toEqual({ offset: 5, epoch: phoneAt.epoch, recovered: true });
    const bodies = (c: TestClient) => directs(c).map((f: Frame) => f.data.body);
    expect(bodies(phone2)).toEqual([3, 4, 5]);
    expect(bodies(laptop2)).toEqual([2, 3, 4, 5]);
    expect(directs(laptop2).map((f) => f.data.offset)).toEqual([2, 3, 4, 5]);
    expect(directs(phone2)[1].data.from).toBe('system');
    // The replay came before the ack.
    expect(phone2.frames.indexOf(phoneAck)).toBe(phone2.frames.length - 1);

    // Live ones after the recovery: exactly once on each device, not repeated by a later recovery.
    await send(alice, 'bob', [6]);
    await phone2.next((f) => f.type === 'direct' && f.data.body === 6);
    await laptop2.next((f) => f.type === 'direct' && f.data.body === 6);
    expect(bodies(phone2)).toEqual([3, 4, 5, 6]);
    expect(bodies(laptop2)).toEqual([2, 3, 4, 5, 6]);
  });

  it('answers recovered: false, replaying nothing, when a missed message was trimmed (USER_HISTORY_SIZE)', async () => {
    const server = await startServer({ ...FAST, USER_HISTORY_SIZE: '3' });
    const alice = await client(server, 'alice');
    const bob = await client(server, 'bob');
    await send(alice, 'bob', [1]);
    const at = (await bob.nextOfType('direct')).data as { offset: number; epoch: string };
    bob.socket.terminate();
    await bob.closed;
    await send(alice, 'bob', [2, 3, 4, 5]); // offsets 2-5; only 3-5 are kept
    const back = await client(server, 'bob');
    const ack = await back.request('user.recover', { since: { offset: at.offset, epoch: at.epoch } });
    expect(ack.data).toEqual({ offset: 5, epoch: at.epoch, recovered: false });
    expect(directs(back)).toEqual([]);
    // Within the size it recovers.
    const again = await client(server, 'bob');
    const ok = await again.request('user.recover', { since: { offset: 2, epoch: at.epoch } });
    expect(ok.data.recovered).toBe(true);
    expect(directs(again).map((f) => f.data.body)).toEqual([3, 4, 5]);
  });

  it('answers recovered: false for another epoch or a position ahead of the welcome, and validates since', async () => {
    const server = await startServer(FAST);
    const bob = await client(server, 'bob');
    const { epoch } = welcomeOf(bob).userStream;
    expect((await bob.request('user.recover', { since: { offset: 0, epoch: `${epoch}x` } })).data).toEqual({ offset: 0, epoch, recovered: false });
    expect((await bob.request('user.recover', { since: { offset: 1, epoch } })).data).toEqual({ offset: 0, epoch, recovered: false });
    expect((await bob.request('user.recover', { since: { offset: 0, epoch } })).data).toEqual({ offset: 0, epoch, recovered: true });
    const bad = await bob.request('user.recover', { since: { offset: -1, epoch } });
    expect(bad.data).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await bob.request('user.recover', {})).data).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
