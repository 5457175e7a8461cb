import pino from 'pino';

/** What the stream writes to: pino's synchronous destination (it retries EAGAIN on a full pipe). */
export interface LineSink {
  write(data: string): unknown;
}

const open = new Set<BufferedLogStream>();
let exitHookInstalled = false;

/**
 * pino's destination, batched: lines are collected and written together once `maxBytes` are
 * pending or `maxDelayMs` after the first pending line, and on exit. A per-line synchronous write
 * is a syscall per connection open and close (docs/performance.md, finding 6); batched, a burst of
 * handshakes costs one write per few dozen lines. Lines stay in order; a line is at most
 * `maxDelayMs` late. Only a process killed outright (SIGKILL) loses what is pending: the `exit`
 * event (process.exit, an uncaught exception, a signal handled by the shutdown hooks) writes it.
 */
export class BufferedLogStream {
  private pending = '';
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sink: LineSink = pino.destination({ dest: 1, sync: true }),
    private readonly maxBytes = 16 * 1024,
    private readonly maxDelayMs = 50,
  ) {
    open.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const stream of open) stream.flush();
      });
    }
  }

  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= this.maxBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs).unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const data = this.pending;
    this.pending = '';
    this.sink.write(data);
  }

  /** Writes what is pending; later lines are written at once, unbatched (the app is shutting down). */
  close(): void {
    this.flush();
    open.delete(this);
  }
}
