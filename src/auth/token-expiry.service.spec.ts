import { MinHeap } from './min-heap';
import { TokenExpiryService } from './token-expiry.service';

/** A registry and outbound stand-in: sessions by user, and the closes the service asked for. */
function setup(sessions: { userId: string; tokenExp: number; closing?: boolean }[]) {
  const closed: string[] = [];
  const registry = { ofUser: (userId: string) => sessions.filter((s) => s.userId === userId) };
  const outbound = { close: (s: { userId: string; closing?: boolean }, code: number) => ((s.closing = true), closed.push(`${s.userId}:${code}`)) };
  const service = new TokenExpiryService(registry as never, outbound as never);
  return { service, closed, sessions };
}

describe('MinHeap', () => {
  it('pops in ascending order whatever the push order', () => {
    const heap = new MinHeap();
    const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 503);
    for (const v of values) heap.push(v);
    const popped = values.map(() => heap.pop());
    expect(popped).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });
});

describe('TokenExpiryService.sweep', () => {
  it('closes with 4001 exactly the sessions whose exp has passed, once', () => {
    const { service, closed } = setup([
      { userId: 'a', tokenExp: 100 },
      { userId: 'a', tokenExp: 200 },
      { userId: 'b', tokenExp: 100 },
    ]);
    service.track('a', 100);
    service.track('a', 200);
    service.track('b', 100);
    service.sweep(99_999);
    expect(closed).toEqual([]);
    service.sweep(100_000);
    expect(closed).toEqual(['a:4001', 'b:4001']);
    service.sweep(150_000);
    expect(closed).toEqual(['a:4001', 'b:4001']);
    service.sweep(200_000);
    expect(closed).toEqual(['a:4001', 'b:4001', 'a:4001']);
    expect(service.pending).toBe(0);
  });

  it('skips a session whose exp a refresh moved forward, and closes it at the new exp', () => {
    const { service, closed, sessions } = setup([{ userId: 'a', tokenExp: 100 }]);
    service.track('a', 100);
    sessions[0].tokenExp = 300; // auth.refresh
    service.track('a', 300);
    service.sweep(100_000);
    expect(closed).toEqual([]);
    service.sweep(300_000);
    expect(closed).toEqual(['a:4001']);
  });

  it('keeps one bucket per exp second and user, and forgets users that left', () => {
    const { service, closed } = setup([]);
    for (let i = 0; i < 1000; i++) service.track('same', 100);
    expect(service.pending).toBe(1);
    service.sweep(100_000);
    expect(closed).toEqual([]);
    expect(service.pending).toBe(0);
  });
});
