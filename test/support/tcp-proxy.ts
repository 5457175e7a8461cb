import { AddressInfo, createServer, Socket, connect as tcpConnect } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection at once, without FIN handshakes reaching the far side first. */
  cut(): void;
  /** While down, new connections are reset as soon as they arrive. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy to stand in for the network between a client and the server. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    if (down) return client.resetAndDestroy();
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
