import { BusDeliveryService } from '../delivery/bus-delivery.service';
import { RoomSequencer } from '../delivery/room-sequencer';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { RoomSubscriptionsService } from './room-subscriptions.service';

/** The join's order (docs/architecture.md, flow 2): subscribed first, then the position read. */
describe('RoomSubscriptionsService.join with interest', () => {
  const setup = () => {
    const calls: string[] = [];
    let subscribe!: () => void;
    const subscribed = new Promise<void>((resolve) => (subscribe = resolve));
    const registry = new ConnectionRegistryService();
    const history = { position: async () => (calls.push('position'), { offset: 7, epoch: 'e' }), since: async () => [] };
    const busDelivery = { sequencer: new RoomSequencer(), roomSubscribed: () => (calls.push('subscribed?'), subscribed) } as unknown as BusDeliveryService;
    const quiet = { announceJoin() {}, announceLeave() {}, roomJoined() {}, roomLeft() {}, write() {} };
    const service = new RoomSubscriptionsService(history as never, registry, quiet as never, quiet as never, busDelivery, quiet as never);
    const session = { id: 's1', userId: 'u1', rooms: new Set<string>() } as unknown as Session;
    return { calls, subscribe, service, session };
  };

  it('reads the room position only once the subscription is confirmed', async () => {
    const { calls, subscribe, service, session } = setup();
    const ack = service.join(session, 'r');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['subscribed?']);
    subscribe();
    await expect(ack).resolves.toEqual({ room: 'r', offset: 7, epoch: 'e' });
    expect(calls).toEqual(['subscribed?', 'position']);
  });
});
