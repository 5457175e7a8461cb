// Open-loop scheduling: event k is due at t0 + k * intervalMs and is sent with its SCHEDULED time,
// so a stalled sender or server shows up as latency instead of silently lowering the load
// (no coordinated omission).
import { performance } from 'node:perf_hooks';

/** Calls send(k, scheduledTime) for k = 0..count-1 at their due times; resolves after the last. */
export function runSchedule(t0, intervalMs, count, send) {
  return new Promise((resolve) => {
    let k = 0;
    const tick = () => {
      const now = performance.now();
      while (k < count && t0 + k * intervalMs <= now) {
        send(k, t0 + k * intervalMs);
        k++;
      }
      if (k >= count) return resolve();
      const wait = t0 + k * intervalMs - performance.now();
      setTimeout(tick, wait > 1 ? Math.min(wait, 50) : 0);
    };
    const first = t0 - performance.now();
    setTimeout(tick, first > 0 ? first : 0);
  });
}
