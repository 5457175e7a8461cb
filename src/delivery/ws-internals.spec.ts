import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { assertWsShape, writableSocketOf, WS_CHECKED_VERSION } from './ws-internals';

// These tests fail when an upgrade of ws changes what src/delivery/ws-internals.ts reads: then
// re-check ws's lib/websocket.js and lib/sender.js, adapt the adapter, and re-measure
// (docs/performance.md, "Library internals we read, and why").

async function pair(perMessageDeflate = false) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  await once(wss, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate });
  const [[server, request]] = await Promise.all([once(wss, 'connection') as Promise<[WebSocket, IncomingMessage]>, once(client, 'open')]);
  return {
    server,
    request,
    client,
    close: async () => {
      client.terminate();
      server.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

describe('ws internals (src/delivery/ws-internals.ts)', () => {
  it('runs against the ws version the adapter was checked against', () => {
    expect((require('ws/package.json') as { version: string }).version).toBe(WS_CHECKED_VERSION);
  });

  it('finds the private members it reads on an open server-side WebSocket', async () => {
    const p = await pair();
    try {
      expect(() => assertWsShape(p.server)).not.toThrow();
      // The socket it writes to is the upgrade's own socket (public: the request's socket).
      expect(writableSocketOf(p.server)).toBe(p.request.socket);
    } finally {
      await p.close();
    }
  });

  it('sees ws queueing: no direct socket while ws reads a Blob, the socket again once it is sent', async () => {
    const p = await pair();
    try {
      const received: string[] = [];
      p.client.on('message', (data) => received.push(data.toString()));
      p.server.send(new Blob(['from a blob']));
      expect(writableSocketOf(p.server)).toBeUndefined();
      p.server.send('queued behind it');
      expect(writableSocketOf(p.server)).toBeUndefined();
      for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(received).toEqual(['from a blob', 'queued behind it']);
      expect(writableSocketOf(p.server)).toBe(p.request.socket);
    } finally {
      await p.close();
    }
  });

  it('gives no direct socket when permessage-deflate was negotiated', async () => {
    const p = await pair(true);
    try {
      expect(p.server.extensions).toContain('permessage-deflate');
      expect(writableSocketOf(p.server)).toBeUndefined();
    } finally {
      await p.close();
    }
  });

  it('throws, naming ws and its version, when the shape is not there', () => {
    const changed = { extensions: '', _socket: { write() {}, destroyed: false }, _writer: {} } as unknown as WebSocket;
    expect(() => assertWsShape(changed)).toThrow(/^ws 8\.\d+\.\d+: _sender\._state is not a number; _sender\._queue is not an array\. .*ws 8\.23\.0/);
  });
});
