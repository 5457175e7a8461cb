import { WebSocket } from 'ws';
import { RealtimeClient, type DirectMessageData, type ReceiptData } from '../../sdk/src';
import { serversPerTest } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { waitFor } from '../support/wait-for';

const FAST = { RATE_LIMIT_PER_SEC: '10000', RATE_LIMIT_BURST: '10000' };

/** The SDK's receipts against the real server (docs/protocol.md, 3.12; sdk/README.md). */
describe('SDK receipts end to end', () => {
  const startServer = serversPerTest();
  const clients: RealtimeClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('receipts a direct message delivered by itself, read on markRead, to every client of the sender', async () => {
    const server = await startServer(FAST);
    const user = async (sub: string) => {
      const client = new RealtimeClient({ url: server.wsUrl, token: await mintToken({ sub }), WebSocket });
      clients.push(client);
      await client.connect();
      return client;
    };
    const [phone, laptop, bob] = [await user('alice'), await user('alice'), await user('bob')];
    const receipts = (client: RealtimeClient) => {
      const seen: ReceiptData[] = [];
      client.on('receipt', (receipt) => seen.push(receipt));
      return seen;
    };
    const [onPhone, onLaptop, onBob] = [receipts(phone), receipts(laptop), receipts(bob)];
    const received: DirectMessageData[] = [];
    bob.on('direct', (message) => received.push(message));

    const { messageId } = await phone.direct('bob', 'hi');
    await waitFor(() => onPhone.length === 1 && onLaptop.length === 1);
    expect(onPhone).toEqual([{ messageId, userId: 'bob', state: 'delivered', ts: expect.any(Number) }]);
    expect(received.map((m) => m.messageId)).toEqual([messageId]);

    await expect(bob.markRead(received[0])).resolves.toEqual({ messageId, state: 'read', forwarded: true });
    await expect(bob.markRead(received[0])).resolves.toEqual({ messageId, state: 'read', forwarded: false });
    await waitFor(() => onPhone.length === 2 && onLaptop.length === 2);
    expect(onLaptop.map((r) => r.state)).toEqual(['delivered', 'read']);
    expect(onBob).toEqual([]);
    // The sender cannot receipt her own message: it is not in her stream.
    await expect(phone.markRead(received[0])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
