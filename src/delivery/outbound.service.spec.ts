import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { AppConfig } from '../config';
import type { GatewayMetrics } from '../metrics/gateway.metrics';
import type { TrafficMetrics } from '../metrics/traffic.metrics';
import { Session } from '../registry/session';
import { OutboundService, PreparedFrame, textFrame } from './outbound.service';
import { tcpSocketOf, writableSocketOf } from './ws-internals';

/** A ws server configured like the gateway's (no permessage-deflate unless asked), one client. */
async function pair(perMessageDeflate = false): Promise<{ server: WebSocket; client: WebSocket; received: string[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  await once(wss, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate });
  const [[server]] = await Promise.all([once(wss, 'connection') as Promise<[WebSocket]>, once(client, 'open')]);
  const received: string[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? 'BINARY' : data.toString()));
  return {
    server,
    client,
    received,
    close: async () => {
      client.terminate();
      server.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

function outboundWith(sendBufferMaxBytes = 1 << 20, coalesceWrites = false) {
  const metrics = { slowConsumerCloses: { value: 0 } };
  const service = new OutboundService(
    { sendBufferMaxBytes, coalesceWrites } as AppConfig,
    { frameOut() {}, errorSent() {} } as unknown as TrafficMetrics,
    metrics as unknown as GatewayMetrics,
    { warn() {} } as never,
  );
  return { service, metrics };
}

const sessionOf = (socket: WebSocket) => new Session('s', 'u', socket, {} as never, {} as never, '127.0.0.1', 0);
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe.each([false, true])('PreparedFrame / writePrepared (one frame written to many sockets), COALESCE_WRITES %s', (coalesce) => {
  const outbound = (sendBufferMaxBytes?: number) => outboundWith(sendBufferMaxBytes, coalesce);

  it.each([0, 1, 125, 126, 65535, 65536, 200_000])('frames a %i-byte payload as ws would', (size) => {
    const payload = Buffer.from('x'.repeat(size));
    // ws's own framing of an unmasked text frame is the reference.
    const sender = require('ws').Sender as { frame(data: Buffer, options: object): Buffer[] };
    const reference = Buffer.concat(sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));
    expect(textFrame(payload).equals(reference)).toBe(true);
  });

  it('delivers prepared frames of every length class in order with ws.send frames to a real client', async () => {
    const p = await pair();
    const { service } = outbound();
    const session = sessionOf(p.server);
    try {
      const payloads = [`{"n":1}`, 'a'.repeat(300), 'b'.repeat(70_000), `{"n":4}`];
      service.writePrepared(session, new PreparedFrame(Buffer.from(payloads[0])));
      service.write(session, Buffer.from(payloads[1]));
      service.writePrepared(session, new PreparedFrame(Buffer.from(payloads[2])));
      service.writePrepared(session, new PreparedFrame(Buffer.from(payloads[3])));
      await until(() => p.received.length === 4);
      expect(p.received).toEqual(payloads);
    } finally {
      await p.close();
    }
  });

  it('falls back to ws.send when permessage-deflate was negotiated, keeping the order', async () => {
    const p = await pair(true);
    const { service } = outbound();
    const session = sessionOf(p.server);
    try {
      expect(writableSocketOf(p.server)).toBeUndefined();
      const payloads = Array.from({ length: 20 }, (_, i) => `{"i":${i},"pad":"${'z'.repeat(i * 100)}"}`);
      for (const [i, text] of payloads.entries()) {
        if (i % 2) service.write(session, Buffer.from(text));
        else service.writePrepared(session, new PreparedFrame(Buffer.from(text)));
      }
      await until(() => p.received.length === payloads.length);
      expect(p.received).toEqual(payloads);
    } finally {
      await p.close();
    }
  });

  it('writes nothing to a closing session or a socket that is not open', async () => {
    const p = await pair();
    const { service } = outbound();
    const session = sessionOf(p.server);
    try {
      session.closing = true;
      expect(service.writePrepared(session, new PreparedFrame(Buffer.from('{}')))).toBe(false);
      session.closing = false;
      p.server.close();
      expect(service.writePrepared(session, new PreparedFrame(Buffer.from('{}')))).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(p.received).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('keeps the slow-consumer bound: the directly written bytes count in bufferedAmount', async () => {
    const p = await pair();
    const { service, metrics } = outbound(256 * 1024);
    const session = sessionOf(p.server);
    try {
      // The client stops reading: the server's unsent bytes pile up in its socket.
      p.client.pause();
      const frame = new PreparedFrame(Buffer.from(`{"pad":"${'p'.repeat(16 * 1024)}"}`));
      let writes = 0;
      while (service.writePrepared(session, frame) && writes < 10_000) writes++;
      expect(writes).toBeLessThan(10_000);
      expect(p.server.bufferedAmount).toBeGreaterThan(256 * 1024);
      expect(session.closing).toBe(true);
      expect(metrics.slowConsumerCloses.value).toBe(1);
      expect(service.writePrepared(session, frame)).toBe(false);
      expect(p.server.readyState).toBe(WebSocket.CLOSING);
    } finally {
      await p.close();
    }
  });
});

describe('COALESCE_WRITES: at most two kernel writes per socket per event-loop turn', () => {
  it('writes the first frame of a turn at once, holds the rest and hands them to the kernel in one writev at the end of the turn, in order', async () => {
    const p = await pair();
    const { service } = outboundWith(1 << 20, true);
    const session = sessionOf(p.server);
    try {
      const tcp = tcpSocketOf(p.server)! as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
      const writes = jest.spyOn(tcp, '_write');
      const writevs = jest.spyOn(tcp, '_writev');
      const payloads = Array.from({ length: 10 }, (_, i) => `{"n":${i}}`);
      for (const [i, text] of payloads.entries()) {
        if (i % 3) service.writePrepared(session, new PreparedFrame(Buffer.from(text)));
        else service.write(session, Buffer.from(text));
      }
      // (ws writes a frame it builds as header + payload: one _writev of two chunks.)
      const kernelWrites = () => writes.mock.calls.length + writevs.mock.calls.length;
      expect(kernelWrites()).toBe(1);
      await until(() => p.received.length === payloads.length);
      expect(kernelWrites()).toBe(2);
      expect(p.received).toEqual(payloads);
      // A lone frame of a later turn goes out at once.
      service.write(session, Buffer.from('{"lone":1}'));
      expect(kernelWrites()).toBe(3);
      await until(() => p.received.length === payloads.length + 1);
      expect(p.received.at(-1)).toBe('{"lone":1}');
    } finally {
      await p.close();
    }
  });

  it('hands a burst to the kernel every HOLD_MAX_BYTES within the turn: a big turn is not a slow consumer', async () => {
    const p = await pair();
    const { service, metrics } = outboundWith(256 * 1024, true);
    const session = sessionOf(p.server);
    try {
      const frame = new PreparedFrame(Buffer.from(`{"pad":"${'p'.repeat(1000)}"}`));
      // 600 KiB in one turn, over twice the slow-consumer bound, to a client that reads.
      for (let i = 0; i < 600; i++) expect(service.writePrepared(session, frame)).toBe(true);
      expect(p.server.bufferedAmount).toBeLessThan(256 * 1024);
      expect(metrics.slowConsumerCloses.value).toBe(0);
      await until(() => p.received.length === 600);
      expect(p.received).toHaveLength(600);
    } finally {
      await p.close();
    }
  });

  it('writes each frame at once without it', async () => {
    const p = await pair();
    const { service } = outboundWith(1 << 20, false);
    const session = sessionOf(p.server);
    try {
      const tcp = tcpSocketOf(p.server)! as unknown as { _write: (...a: unknown[]) => void };
      const writes = jest.spyOn(tcp, '_write');
      for (let i = 0; i < 3; i++) service.writePrepared(session, new PreparedFrame(Buffer.from(`{"n":${i}}`)));
      expect(writes).toHaveBeenCalledTimes(3); // one kernel write per frame
    } finally {
      await p.close();
    }
  });
});
