import { describe, expect, it, jest } from '@jest/globals';
import { RECOVERY_RETRIES } from './retrying-requests';
import { flush, setup, useFakeClientClock } from './testing/harness';

const direct = (messageId: string, offset?: number) => ({
  type: 'direct',
  data: { from: 'bob', body: 'hi', messageId, ts: 1, ...(offset === undefined ? {} : { offset, epoch: 'E' }) },
});
const receiptOf = (messageId: string, offset: number, state: string) => ({ messageId, offset, epoch: 'E', state });

describe('RealtimeClient receipts', () => {
  useFakeClientClock();

  it('receipts each direct message delivered, once per messageId, and not one without a stream position', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.receive(direct('m1', 1));
    socket.receive(direct('m1', 1)); // the same message again (a replay): dropped, so no second receipt
    socket.receive(direct('m0')); // from a server without user streams
    socket.receive(direct('m2', 2));
    await flush();
    expect(socket.sentOfType('receipt.send').map((f) => f.data)).toEqual([receiptOf('m1', 1, 'delivered'), receiptOf('m2', 2, 'delivered')]);
    expect(h.events.direct.map((d) => d.messageId)).toEqual(['m1', 'm0', 'm2']);
    h.client.close();
  });

  it('sends read with markRead(message), resolving with the ack; refuses a message without a position', async () => {
    const h = setup();
    const { socket } = await h.connect();
    const read = h.client.markRead({ messageId: 'm1', offset: 1, epoch: 'E' });
    await flush();
    const sent = socket.lastSent('receipt.send');
    expect(sent.data).toEqual(receiptOf('m1', 1, 'read'));
    socket.ack(sent, { messageId: 'm1', state: 'read', forwarded: true });
    await expect(read).resolves.toEqual({ messageId: 'm1', state: 'read', forwarded: true });
    await expect(h.client.markRead({ messageId: 'm0' } as never)).rejects.toBeInstanceOf(TypeError);
    h.client.close();
  });

  it("emits the server's receipt events", async () => {
    const h = setup();
    const { socket } = await h.connect();
    const data = { messageId: 'm1', userId: 'bob', state: 'read', ts: 5 };
    socket.receive({ type: 'receipt', data });
    expect(h.events.receipt).toEqual([data]);
    expect(h.events.event).toEqual([]);
    h.client.close();
  });

  it('sends a delivered receipt cut by a disconnect again after the next welcome, and an acked one never again', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.receive(direct('m1', 1));
    socket.receive(direct('m2', 2));
    await flush();
    socket.ack(socket.sentOfType('receipt.send')[0]); // m1 acked; m2's reply is lost with the socket
    await flush();
    socket.serverClose(1006);
    const again = await h.reconnect();
    expect(again.sentOfType('receipt.send').map((f) => f.data)).toEqual([receiptOf('m2', 2, 'delivered')]);
    again.ack(again.lastSent('receipt.send'));
    await flush();
    again.serverClose(1006);
    const third = await h.reconnect();
    expect(third.sentOfType('receipt.send')).toEqual([]);
    h.client.close();
  });

  it('retries a receipt refused for now (UNAVAILABLE) with backoff, and gives up on NOT_FOUND with an error event', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.receive(direct('m1', 1));
    socket.receive(direct('m2', 2));
    await flush();
    const [first, second] = socket.sentOfType('receipt.send');
    socket.error(first, 'UNAVAILABLE');
    socket.error(second, 'NOT_FOUND', 'no such message in your stream');
    await flush();
    expect(h.events.error).toEqual([expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('m2') })]);
    await jest.advanceTimersByTimeAsync(250); // RECOVERY_BACKOFF's first retry: at most minMs
    const retried = socket.sentOfType('receipt.send').slice(2);
    expect(retried.map((f) => f.data)).toEqual([receiptOf('m1', 1, 'delivered')]);
    h.client.close();
  });

  it(`gives up after ${RECOVERY_RETRIES} retries refused for now, with an error event`, async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.receive(direct('m1', 1));
    await flush();
    for (let i = 0; i <= RECOVERY_RETRIES; i++) {
      const sent = socket.sentOfType('receipt.send').length;
      socket.error(socket.lastSent('receipt.send'), 'RATE_LIMITED');
      // Up to RECOVERY_BACKOFF.maxMs, answering the heartbeat so that the link stays alive.
      for (let waited = 0; waited < 4000 && socket.sentOfType('receipt.send').length === sent; waited += 100) {
        await jest.advanceTimersByTimeAsync(100);
        for (const ping of socket.sentOfType('ping')) socket.receive({ type: 'pong', id: ping.id });
      }
    }
    expect(socket.sentOfType('receipt.send')).toHaveLength(RECOVERY_RETRIES + 1);
    expect(h.events.error).toEqual([expect.objectContaining({ code: 'RATE_LIMITED' })]);
    h.client.close();
  });

  it('leaves no retry timer behind after close()', async () => {
    const h = setup();
    const { socket } = await h.connect();
    socket.receive(direct('m1', 1));
    await flush();
    socket.error(socket.lastSent('receipt.send'), 'UNAVAILABLE');
    await flush();
    h.client.close();
    expect(jest.getTimerCount()).toBe(0);
  });
});
