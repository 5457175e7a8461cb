import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('is first in, first out', () => {
    const queue = new BoundedQueue<number>(3);
    queue.push(1);
    queue.push(2);
    expect(queue.peek()).toBe(1);
    expect(queue.shift()).toBe(1);
    expect(queue.shift()).toBe(2);
    expect(queue.shift()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('refuses items past its capacity and accepts again once one is taken', () => {
    const queue = new BoundedQueue<string>(2);
    expect(queue.push('a')).toBe(true);
    expect(queue.push('b')).toBe(true);
    expect(queue.push('c')).toBe(false);
    expect(queue.size).toBe(2);
    queue.shift();
    expect(queue.push('d')).toBe(true);
    expect([queue.shift(), queue.shift()]).toEqual(['b', 'd']);
  });

  it('keeps the order across many wrap-arounds', () => {
    const queue = new BoundedQueue<number>(3);
    const out: number[] = [];
    for (let i = 0; i < 20; i++) {
      queue.push(i);
      if (i % 2 === 1) out.push(queue.shift()!, queue.shift()!);
    }
    expect(out).toEqual([...Array(20).keys()]);
  });
});
