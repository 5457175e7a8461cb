import type { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { FanoutService } from './fanout.service';
import { RoomRecovery } from './room-recovery';
import type { OutboundService, PreparedFrame } from './outbound.service';

/** Pure delivery logic: which member gets which room frame. The writes are recorded, not sent. */
function setup(members: Session[]) {
  const written: string[] = [];
  const outbound = {
    writePrepared: (session: Session, frame: PreparedFrame) => (written.push(`${session.id}:${frame.payload.toString()}`), true),
  } as unknown as OutboundService;
  const registry = { inRoom: () => new Set(members) } as unknown as ConnectionRegistryService;
  return { fanout: new FanoutService(registry, outbound), written };
}

const member = (id: string) => Object.assign(Object.create(Session.prototype) as Session, { id });

describe('FanoutService.toRoom with RoomRecovery', () => {
  it('skips, once, the offsets a member already got from its join while the bus was behind', () => {
    const [early, joiner] = [member('early'), member('joiner')];
    RoomRecovery.skipUpTo(joiner, 'r', 12);
    const { fanout, written } = setup([early, joiner]);
    for (const offset of [11, 12, 13]) expect(fanout.toRoom('r', Buffer.from(`m${offset}`), undefined, offset)).toBe(2);
    expect(written).toEqual(['early:m11', 'early:m12', 'early:m13', 'joiner:m13']);
    expect(joiner.joinedAhead).toBeUndefined();
  });

  it('leaves frames without an offset (events) and other rooms alone', () => {
    const joiner = member('joiner');
    RoomRecovery.skipUpTo(joiner, 'other', 50);
    const { fanout, written } = setup([joiner]);
    fanout.toRoom('r', Buffer.from('event'));
    fanout.toRoom('r', Buffer.from('m3'), undefined, 3);
    expect(written).toEqual(['joiner:event', 'joiner:m3']);
    expect(joiner.joinedAhead?.get('other')).toBe(50);
  });
});
