import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';

const WINDOW_MS = 60_000;

interface Window {
  startedAt: number;
  lines: number;
  suppressed: number;
}

/**
 * Bounds the warn/error lines one source can cause to LOG_WARN_LINES_PER_MIN per minute: a
 * session (socket errors, a handler failing on every message), so one client cannot flood the
 * logs, or a component (the webhook dispatcher while its receiver is down). The lines it drops
 * are counted and reported on the next line it lets through.
 */
@Injectable()
export class LogLimiter {
  private readonly windows = new WeakMap<object, Window>();
  private readonly perMinute: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.perMinute = config.logWarnLinesPerMin;
  }

  /**
   * Whether to log a line for `source` now: undefined to drop it, else the number of lines
   * dropped since the last one let through (to add to the line).
   */
  admit(source: object): number | undefined {
    const now = Date.now();
    let window = this.windows.get(source);
    if (!window) this.windows.set(source, (window = { startedAt: now, lines: 0, suppressed: 0 }));
    else if (now - window.startedAt >= WINDOW_MS) {
      window.startedAt = now;
      window.lines = 0;
    }
    if (window.lines >= this.perMinute) {
      window.suppressed++;
      return undefined;
    }
    window.lines++;
    const suppressed = window.suppressed;
    window.suppressed = 0;
    return suppressed;
  }
}
