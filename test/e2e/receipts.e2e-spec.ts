import { RealtimeService } from '../../src/realtime/realtime.service';
import { usersPerTest } from '../support/per-test';
import { serversPerTest } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { Frame, TestClient } from '../support/ws-client';

const FAST = { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000' };
const NOT_FOUND = { code: 'NOT_FOUND', message: 'no such message in your stream (unknown, expired, or not addressed to you)' };

interface Direct {
  messageId: string;
  offset: number;
  epoch: string;
}

/** Receipts (docs/protocol.md, 3.12) on one node, in memory. */
describe('receipts: delivered and read, from the recipient to every session of the sender', () => {
  const startServer = serversPerTest();
  const client = usersPerTest();
  const receipts = (c: TestClient) => c.frames.filter((f) => f.type === 'receipt').map((f) => f.data);
  /** alice sends bob a direct message; resolves with the frame bob received. */
  const dm = async (from: TestClient, to: TestClient, body: unknown): Promise<Direct> => {
    const ack = await from.request('direct.send', { to: 'bob', body });
    return (await to.next((f) => f.type === 'direct' && f.data.messageId === ack.data.messageId)).data as Direct;
  };
  const receipt = (c: TestClient, { messageId, offset, epoch }: Direct, state: string): Promise<Frame> => c.request('receipt.send', { messageId, offset, epoch, state });
  const receiptArrives = (c: TestClient, messageId: string, state: string) => c.next((f) => f.type === 'receipt' && f.data.messageId === messageId && f.data.state === state);

  it('forwards delivered and read to every session of the sender, and to no one else', async () => {
    const server = await startServer(FAST);
    const [phone, laptop] = [await client(server, 'alice'), await client(server, 'alice')];
    const bob = await client(server, 'bob');
    const carol = await client(server, 'carol');
    const message = await dm(phone, bob, 'hi');

    const before = Date.now();
    const ack = await receipt(bob, message, 'delivered');
    expect(ack).toEqual({ type: 'ack', id: ack.id, data: { messageId: message.messageId, state: 'delivered', forwarded: true } });
    for (const alice of [phone, laptop]) {
      const event = await receiptArrives(alice, message.messageId, 'delivered');
      expect(event).toEqual({ type: 'receipt', data: { messageId: message.messageId, userId: 'bob', state: 'delivered', ts: expect.any(Number) } });
      expect(event.data.ts).toBeGreaterThanOrEqual(before);
    }
    expect((await receipt(bob, message, 'read')).data).toEqual({ messageId: message.messageId, state: 'read', forwarded: true });
    await Promise.all([phone, laptop].map((alice) => receiptArrives(alice, message.messageId, 'read')));
    expect(receipts(phone).map((r) => r.state)).toEqual(['delivered', 'read']);
    expect(receipts(bob)).toEqual([]);
    expect(receipts(carol)).toEqual([]);
  });

  it('accepts read before delivered (receipts may come out of order)', async () => {
    const server = await startServer(FAST);
    const alice = await client(server, 'alice');
    const bob = await client(server, 'bob');
    const message = await dm(alice, bob, 'hi');
    expect((await receipt(bob, message, 'read')).data.forwarded).toBe(true);
    expect((await receipt(bob, message, 'delivered')).data.forwarded).toBe(true);
    await receiptArrives(alice, message.messageId, 'delivered');
    expect(receipts(alice).map((r) => r.state)).toEqual(['read', 'delivered']);
  });

  it('is idempotent: a repeated receipt, or the same one from another device of the recipient, is acked forwarded: false and not forwarded', async () => {
    const server = await startServer(FAST);
    const alice = await client(server, 'alice');
    const [phone, laptop] = [await client(server, 'bob'), await client(server, 'bob')];
    const message = await dm(alice, phone, 'hi');
    await laptop.next((f) => f.type === 'direct' && f.data.messageId === message.messageId);

    // Both devices acknowledge delivery at the same moment: one is forwarded.
    const acks = await Promise.all([receipt(phone, message, 'delivered'), receipt(laptop, message, 'delivered')]);
    expect(acks.map((a) => a.data.forwarded).sort()).toEqual([false, true]);
    expect((await receipt(phone, message, 'delivered')).data).toEqual({ messageId: message.messageId, state: 'delivered', forwarded: false });
    // A later receipt arrives after anything the repeats could have caused: they caused nothing.
    await receipt(laptop, message, 'read');
    await receiptArrives(alice, message.messageId, 'read');
    expect(receipts(alice).map((r) => r.state)).toEqual(['delivered', 'read']);
  });

  it('refuses, and never forwards, a receipt for a message that is not in the sender of the receipt\'s stream', async () => {
    const server = await startServer(FAST);
    const alice = await client(server, 'alice');
    const bob = await client(server, 'bob');
    const carol = await client(server, 'carol');
    const message = await dm(alice, bob, 'for bob');
    const cases: [string, TestClient, Direct][] = [
      ['an unknown messageId at a real position', bob, { ...message, messageId: '00000000-0000-4000-8000-000000000000' }],
      ['an offset the stream never gave out', bob, { ...message, offset: message.offset + 1 }],
      ['another epoch', bob, { ...message, epoch: `${message.epoch}x` }],
      ["another user's message (carol names bob's)", carol, message],
      ['the sender receipting her own message to bob', alice, message],
    ];
    for (const [name, who, target] of cases) {
      for (const state of ['delivered', 'read']) {
        const reply = await receipt(who, target, state);
        expect({ name, reply: reply.type, data: reply.data }).toEqual({ name, reply: 'error', data: NOT_FOUND });
      }
    }
    // None of them reached alice: the valid one after them is the first she gets.
    await receipt(bob, message, 'read');
    await receiptArrives(alice, message.messageId, 'read');
    expect(receipts(alice)).toEqual([expect.objectContaining({ messageId: message.messageId, state: 'read' })]);
    expect(receipts(bob)).toEqual([]);
    expect(receipts(carol)).toEqual([]);
  });

  it('validates the request: state, offset, epoch and messageId', async () => {
    const server = await startServer(FAST);
    const alice = await client(server, 'alice');
    const bob = await client(server, 'bob');
    const message = await dm(alice, bob, 'hi');
    const invalid = async (data: object) => {
      const reply = await bob.request('receipt.send', data);
      expect(reply.data.code).toBe('VALIDATION_FAILED');
      return reply.data.details.map((d: { field: string }) => d.field);
    };
    const { messageId, offset, epoch } = message;
    expect(await invalid({ messageId, offset, epoch, state: 'seen' })).toEqual(['state']);
    expect(await invalid({ messageId, offset: 0, epoch, state: 'read' })).toEqual(['offset']);
    expect(await invalid({ messageId, offset, epoch: '', state: 'read' })).toEqual(['epoch']);
    expect(await invalid({ offset, epoch, state: 'read' })).toEqual(['messageId']);
    expect(await invalid({ messageId, offset, epoch, state: 'read', to: 'alice' })).toEqual(['*']);
    expect(receipts(alice)).toEqual([]);
  });

  it("acks a receipt for an admin API message (from: system) without forwarding it", async () => {
    const server = await startServer(FAST);
    const bob = await client(server, 'bob');
    await server.app.get(RealtimeService).sendToUser('bob', 'from the admin API');
    const frame = (await bob.nextOfType('direct')).data as Direct & { from: string };
    expect(frame.from).toBe('system');
    expect((await receipt(bob, frame, 'read')).data).toEqual({ messageId: frame.messageId, state: 'read', forwarded: false });
  });

  it('answers NOT_FOUND once the message was trimmed from the stream (USER_HISTORY_SIZE)', async () => {
    const server = await startServer({ ...FAST, USER_HISTORY_SIZE: '1' });
    const alice = await client(server, 'alice');
    const bob = await client(server, 'bob');
    const first = await dm(alice, bob, 1);
    const second = await dm(alice, bob, 2);
    expect((await receipt(bob, first, 'delivered')).data).toEqual(NOT_FOUND);
    expect((await receipt(bob, second, 'delivered')).data.forwarded).toBe(true);
  });

  it('is rate-limited like any frame', async () => {
    const server = await startServer({ RATE_LIMIT_PER_SEC: '1', RATE_LIMIT_BURST: '3' });
    const alice = await client(server, 'alice');
    const bob = await client(server, 'bob');
    const message = await dm(alice, bob, 'hi');
    // 6: 3 refusals in a row stay below the close (4009) at RATE_LIMIT_BURST + 1.
    const replies = await Promise.all(Array.from({ length: 6 }, () => receipt(bob, message, 'read')));
    const codes = replies.map((r) => (r.type === 'ack' ? 'ack' : r.data.code));
    // The burst passes (once forwarded, then no-ops), the rest is refused, but for a token refilled if the server was slow.
    expect(codes.filter((c) => c === 'ack').length).toBeGreaterThanOrEqual(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(2);
    expect(replies.filter((r) => r.data.forwarded === true)).toHaveLength(1);
    await waitFor(() => receipts(alice).length === 1);
  });
});
