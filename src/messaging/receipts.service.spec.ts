import type { Bus } from '../bus/bus';
import { InMemoryStreamStore } from '../history/history-store.memory';
import { InMemoryReceiptStore } from '../history/receipt-store.memory';
import { USER_STREAMS } from '../history/user-streams';
import { ErrorCode } from '../protocol';
import { MessageError } from './message-error';
import { ReceiptsService } from './receipts.service';

/** What the e2e tests cannot provoke on one node: a bus that refuses the receipt. */
describe('ReceiptsService when the bus refuses', () => {
  const setup = async () => {
    const streams = new InMemoryStreamStore(USER_STREAMS, { sizePerRoom: 10, ttlMs: 60_000, maxBytes: 1 << 20 });
    const { data } = await streams.append('bob', { from: 'alice', body: 'hi', messageId: 'm1', ts: 0 });
    const toUser = jest.fn<Promise<void>, [string, Buffer]>().mockRejectedValueOnce(new Error('Connection is closed.')).mockResolvedValue(undefined);
    const service = new ReceiptsService({ toUser } as unknown as Bus, streams, new InMemoryReceiptStore(60_000));
    return { service, toUser, request: { messageId: 'm1', offset: data.offset, epoch: data.epoch, state: 'read' as const } };
  };

  it('answers UNAVAILABLE and releases the marker, so that the same receipt sent again is forwarded', async () => {
    const { service, toUser, request } = await setup();
    const refused = service.send('bob', request);
    await expect(refused).rejects.toBeInstanceOf(MessageError);
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    await expect(service.send('bob', request)).resolves.toEqual({ messageId: 'm1', state: 'read', forwarded: true });
    await expect(service.send('bob', request)).resolves.toEqual({ messageId: 'm1', state: 'read', forwarded: false });
    expect(toUser).toHaveBeenCalledTimes(2);
    expect(toUser.mock.calls[1][0]).toBe('alice');
    expect(JSON.parse(toUser.mock.calls[1][1].toString())).toEqual({ type: 'receipt', data: { messageId: 'm1', userId: 'bob', state: 'read', ts: expect.any(Number) } });
  });
});
