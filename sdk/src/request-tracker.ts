import { ServerMessageType } from './protocol';
import { ClientErrorCode, RealtimeError } from './errors';

interface Pending {
  type: string;
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface StartedRequest<T> {
  id: string;
  promise: Promise<T>;
}

/**
 * Requests in flight, by id. Each one settles exactly once: with the `ack` data (or `undefined`
 * for `pong`), with a `RealtimeError` for an `error` frame, with TIMEOUT after `timeoutMs`, or with
 * whatever `fail`/`failAll` is given (DISCONNECTED when the socket closes first).
 */
export class RequestTracker {
  private readonly pending = new Map<string, Pending>();
  private seq = 0;

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.pending.size;
  }

  /** Registers a request and returns its id (to put in the envelope) and its promise. */
  start<T>(type: string): StartedRequest<T> {
    const id = `r${(++this.seq).toString(36)}`;
    const promise = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RealtimeError(ClientErrorCode.Timeout, `no reply to ${type} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { type, resolve: resolve as (data: unknown) => void, reject, timer });
    });
    return { id, promise };
  }

  /**
   * Settles the request a reply frame answers. Returns false when no request has that id (late
   * reply after a timeout, or not ours); the caller decides what to do with such frames.
   */
  settle(frame: { type: string; id?: string; data?: unknown }): boolean {
    const pending = frame.id === undefined ? undefined : this.pending.get(frame.id);
    if (!pending) return false;
    this.take(frame.id as string);
    if (frame.type === ServerMessageType.Error) pending.reject(RealtimeError.fromFrame(frame.data));
    else pending.resolve(frame.data);
    return true;
  }

  /** Rejects one request (e.g. it could not be sent). */
  fail(id: string, error: Error): void {
    this.take(id)?.reject(error);
  }

  /** Rejects every request in flight (e.g. the socket closed) and clears their timers. */
  failAll(makeError: (type: string) => RealtimeError): void {
    for (const id of [...this.pending.keys()]) {
      const pending = this.take(id);
      pending?.reject(makeError(pending.type));
    }
  }

  private take(id: string): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.pending.delete(id);
    return pending;
  }
}
