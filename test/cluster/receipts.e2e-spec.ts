import { redisPerTest, usersPerTest } from '../support/per-test';
import { CLUSTER_NODE_ENV, killServerProcessesAfterEach, startServerProcess } from '../support/server-process';
import { Frame, TestClient } from '../support/ws-client';

/**
 * Receipts (docs/protocol.md, 3.12) across two real nodes on one redis-server: a recipient on one
 * node receipts a message; every session of the sender, on both nodes, gets it; the marker on
 * Redis makes the same receipt from the recipient's device on the other node a no-op.
 */
describe('receipts across two nodes on Redis', () => {
  killServerProcessesAfterEach();
  const redis = redisPerTest();
  const user = usersPerTest();

  const node = (id: string) => startServerProcess({ REDIS_URL: redis().url, NODE_ID: id, ...CLUSTER_NODE_ENV });
  const receipts = (c: TestClient) => c.frames.filter((f) => f.type === 'receipt').map((f) => f.data);
  /** Sends a direct message to `to` and waits until each of `recipients` has it (which also shows their nodes receive the user's channels). */
  const dm = async (from: TestClient, to: string, recipients: TestClient[]): Promise<Frame['data']> => {
    const ack = await from.request('direct.send', { to, body: 'hi' });
    expect(ack.type).toBe('ack');
    const frames = await Promise.all(recipients.map((c) => c.next((f) => f.type === 'direct' && f.data.messageId === ack.data.messageId, 10_000)));
    return frames[0].data;
  };
  const receipt = (c: TestClient, { messageId, offset, epoch }: Frame['data'], state: string) => c.request('receipt.send', { messageId, offset, epoch, state });

  it("reaches every session of the sender on the other node (and on its own), once per state, whichever of the recipient's nodes sends it", async () => {
    const [a, b] = await Promise.all([node('rc-a'), node('rc-b')]);
    const alices = [await user(b, 'alice'), await user(b, 'alice'), await user(a, 'alice')];
    const [bobOnA, bobOnB] = [await user(a, 'bob'), await user(b, 'bob')];
    const carol = await user(b, 'carol');
    // The nodes of alice's sessions receive her channels: a message to her reaches all three.
    await dm(bobOnA, 'alice', alices);
    const message = await dm(alices[0], 'bob', [bobOnA, bobOnB]);

    expect((await receipt(bobOnA, message, 'delivered')).data).toEqual({ messageId: message.messageId, state: 'delivered', forwarded: true });
    // The same receipt from bob's device on the other node: the marker on Redis makes it a no-op.
    expect((await receipt(bobOnB, message, 'delivered')).data).toEqual({ messageId: message.messageId, state: 'delivered', forwarded: false });
    expect((await receipt(bobOnB, message, 'read')).data).toEqual({ messageId: message.messageId, state: 'read', forwarded: true });
    // Not bob's message in carol's stream, whichever node reads it.
    expect((await receipt(carol, message, 'read')).data).toMatchObject({ code: 'NOT_FOUND' });

    for (const alice of alices) {
      await alice.next((f) => f.type === 'receipt' && f.data.state === 'read', 10_000);
      // One channel, published in this order: delivered (its ack came first), then read; no duplicate.
      expect(receipts(alice)).toEqual([
        { messageId: message.messageId, userId: 'bob', state: 'delivered', ts: expect.any(Number) },
        { messageId: message.messageId, userId: 'bob', state: 'read', ts: expect.any(Number) },
      ]);
    }
    for (const other of [bobOnA, bobOnB, carol]) expect(receipts(other)).toEqual([]);
  }, 60_000);
});
