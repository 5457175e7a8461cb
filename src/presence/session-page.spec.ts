import { RoomPermissions } from '../auth/room-permissions';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { TokenBucket } from '../registry/token-bucket';
import { sessionPage } from './session-page';

const session = (id: string, userId: string) =>
  new Session(id, userId, {} as never, new RoomPermissions(['*']), new TokenBucket(1, 1, 0), '127.0.0.1', 0, 0);

describe('sessionPage', () => {
  let registry: ConnectionRegistryService;
  const ids = (page: { sessions: Session[] }) => page.sessions.map((s) => s.id);

  beforeEach(() => {
    registry = new ConnectionRegistryService();
    for (let i = 1; i <= 5; i++) registry.add(session(`s${i}`, i % 2 ? 'odd' : 'even'));
  });

  it('pages through every session in registration order, and says when it is done', () => {
    const first = sessionPage(registry.all(), true, () => true, 0, 2);
    expect(ids(first)).toEqual(['s1', 's2']);
    const second = sessionPage(registry.all(), true, () => true, first.next!, 2);
    expect(ids(second)).toEqual(['s3', 's4']);
    const last = sessionPage(registry.all(), true, () => true, second.next!, 2);
    expect(ids(last)).toEqual(['s5']);
    expect(last.next).toBeNull();
  });

  it('a page exactly filling the limit at the end has no next page', () => {
    expect(sessionPage(registry.all(), true, () => true, 3, 2).next).toBeNull();
  });

  it('is not shifted by sessions that leave or arrive between two calls', () => {
    const first = sessionPage(registry.all(), true, () => true, 0, 2);
    registry.remove(registry.get('s1')!);
    registry.remove(registry.get('s3')!);
    registry.add(session('s6', 'odd'));
    expect(ids(sessionPage(registry.all(), true, () => true, first.next!, 10))).toEqual(['s4', 's5', 's6']);
  });

  it('filters, and sorts candidates that are not in registration order (a room is in join order)', () => {
    for (const id of ['s5', 's2', 's4', 's1']) registry.join(registry.get(id)!, 'r');
    const page = sessionPage(registry.inRoom('r'), false, (s) => s.userId === 'odd', 0, 10);
    expect(ids(page)).toEqual(['s1', 's5']);
    const first = sessionPage(registry.inRoom('r'), false, () => true, 0, 3);
    expect(ids(first)).toEqual(['s1', 's2', 's4']);
    expect(ids(sessionPage(registry.inRoom('r'), false, () => true, first.next!, 3))).toEqual(['s5']);
  });
});
