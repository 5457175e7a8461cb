import { RealtimeClient, type DirectRecoveryEvent } from '../../sdk/src';
import { startTcpProxy, TcpProxy } from './tcp-proxy';
import { mintToken } from './tokens';
import { waitFor } from './wait-for';
import { connect, HeaderTokenWebSocket, TestClient } from './ws-client';

/** One device of a user: an SDK client behind a TCP proxy (its network), and what it delivered. */
export interface Device {
  client: RealtimeClient;
  network: TcpProxy;
  bodies: unknown[];
  recoveries: DirectRecoveryEvent[];
}

/** A device of `sub` connected through a proxy to the server on `port`. */
export async function openDevice(port: number, sub: string): Promise<Device> {
  const network = await startTcpProxy(port);
  const client = new RealtimeClient({
    url: `ws://127.0.0.1:${network.port}/ws`,
    token: await mintToken({ sub }),
    WebSocket: HeaderTokenWebSocket as never,
    backoff: { minMs: 100, maxMs: 300 },
  });
  const device: Device = { client, network, bodies: [], recoveries: [] };
  client.on('direct', (m) => device.bodies.push(m.body));
  client.on('directRecovery', (e) => device.recoveries.push(e));
  await client.connect();
  return device;
}

export async function closeDevice(device: Device): Promise<void> {
  device.client.close();
  await device.network.close();
}

/** Takes the devices' network down: their connections are cut and reconnecting fails until `online`. */
export async function offline(devices: Device[]): Promise<void> {
  for (const { network } of devices) {
    network.setDown(true);
    network.cut();
  }
  await waitFor(() => devices.every((d) => d.client.state === 'reconnecting'), 5000);
}

export async function online(devices: Device[]): Promise<void> {
  const recovered = devices.map((d) => d.recoveries.length);
  for (const { network } of devices) network.setDown(false);
  await waitFor(() => devices.every((d, i) => d.recoveries.length > recovered[i]), 10_000);
}

/** A raw sender of direct messages, one at a time with their acks. */
export async function directSender(port: number, sub: string): Promise<{ sender: TestClient; send: (to: string, bodies: unknown[]) => Promise<void> }> {
  const sender = await connect(`ws://127.0.0.1:${port}/ws`, { token: await mintToken({ sub }) });
  await sender.nextOfType('welcome');
  const send = async (to: string, bodies: unknown[]) => {
    for (const body of bodies) {
      const reply = await sender.request('direct.send', { to, body });
      if (reply.type !== 'ack') throw new Error(`direct.send answered ${JSON.stringify(reply)}`);
    }
  };
  return { sender, send };
}

/**
 * Issue 15's scenario: bob's phone and laptop (on the servers at `ports.phone` and `ports.laptop`)
 * lose their network while alice (on `ports.sender`) sends him direct messages; once back, each
 * device recovers them by itself: every one once, in order, between what it saw live before and
 * after. Closes what it opened.
 */
export async function expectOfflineDevicesToRecover(ports: { phone: number; laptop: number; sender: number }): Promise<void> {
  const bob = `bob-${Math.random().toString(36).slice(2, 8)}`;
  const devices = [await openDevice(ports.phone, bob), await openDevice(ports.laptop, bob)];
  const { sender, send } = await directSender(ports.sender, 'alice');
  try {
    await send(bob, ['live-1']);
    await waitFor(() => devices.every((d) => d.bodies.length === 1), 5000);
    await offline(devices);
    await send(bob, [1, 2, 3, 4, 5]);
    await online(devices);
    await send(bob, ['live-2']);
    await waitFor(() => devices.every((d) => d.bodies.length >= 7), 5000);
    for (const device of devices) {
      expect(device.bodies).toEqual(['live-1', 1, 2, 3, 4, 5, 'live-2']);
      expect(device.recoveries).toEqual([{ recovered: true, offset: 6, epoch: expect.any(String) }]);
    }
  } finally {
    sender.socket.terminate();
    await Promise.all(devices.map(closeDevice));
  }
}
