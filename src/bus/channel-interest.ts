/**
 * What ChannelInterest needs of a pub/sub connection. RedisBus passes ioredis's SUBSCRIBE,
 * UNSUBSCRIBE and PSUBSCRIBE; on Redis Cluster the same tracker would take SSUBSCRIBE and
 * SUNSUBSCRIBE (sharded pub/sub: a channel lives on its slot's shard, see docs/architecture.md).
 */
export interface SubscribeCommands {
  subscribe(channels: string[]): Promise<unknown>;
  unsubscribe(channels: string[]): Promise<unknown>;
  /** The fallback beyond the channel bound: the patterns that cover every interest channel. */
  subscribePatterns(): Promise<unknown>;
  /** Whether the connection is up: a wait for a subscription then fails at once instead of queueing. */
  connected(): boolean;
}

export interface InterestOptions {
  /** A channel nobody wants any more stays subscribed this long (a user hopping back costs nothing). */
  lingerMs: number;
  /** Channels this connection subscribes one by one; beyond it, the patterns (see ChannelInterest). */
  maxChannels: number;
  /** Told once, when the bound is reached. */
  onOverflow?: (channels: number) => void;
}

type State = 'queued' | 'subscribing' | 'subscribed' | 'unsubscribing';

interface Entry {
  state: State;
  /** A local session needs the channel; false while it lingers or is being unsubscribed. */
  wanted: boolean;
  /** Resolves once the state is `subscribed`. */
  ready: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

const READY = Promise.resolve();

/**
 * The channels one pub/sub connection subscribes, by interest: `want` on a node's first local
 * session, `unwant` on its last. Everything wanted within one event-loop turn goes out as one
 * SUBSCRIBE (ioredis pipelines it behind whatever is in flight), everything that lingered long
 * enough as one UNSUBSCRIBE, so a room hop costs no round trip of its own.
 *
 * Messages: Redis sends a channel's messages only between its SUBSCRIBE and UNSUBSCRIBE replies,
 * in publish order on the one connection. A channel is never subscribed again before its
 * UNSUBSCRIBE reply arrived (ioredis emits the messages before that reply first), so while it is
 * `unsubscribing` every message is from the old subscription and is dropped (`accepts`): a join
 * that waits for the new subscription never sees a stale message that would set a wrong baseline.
 *
 * Bound: beyond `maxChannels` entries, new interests are served by the patterns (PSUBSCRIBE
 * `rg:room:*` ...: the node then receives every room, as before interest) and the node stays on
 * them until it restarts. A publish on a channel that is subscribed both ways arrives twice, the
 * channel's message immediately followed by the pattern's: `acceptsPattern` drops that twin.
 */
export class ChannelInterest {
  private readonly entries = new Map<string, Entry>();
  private readonly toSubscribe = new Set<string>();
  private readonly toUnsubscribe = new Set<string>();
  /** Channels nobody wants, by the time they were let go (insertion order is time order). */
  private readonly lingering = new Map<string, number>();
  private lingerTimer?: NodeJS.Timeout;
  private flushScheduled = false;
  /** Set once the bound was reached: resolves when the patterns are subscribed. */
  private patterns?: Promise<void>;
  private patternsLive = false;
  /** The channel of the last 'message' accepted, for the pattern twin that may follow it. */
  private lastAccepted?: string;

  constructor(
    private readonly commands: SubscribeCommands,
    private readonly options: InterestOptions,
  ) {}

  /** Idempotent: the channel is wanted from now until `unwant`. */
  want(channel: string): void {
    const entry = this.entries.get(channel);
    if (entry) {
      if (entry.wanted) return;
      entry.wanted = true;
      this.lingering.delete(channel);
      this.toUnsubscribe.delete(channel);
      // Unsubscribing: subscribed again once that is confirmed; until then a waiter waits.
      if (entry.state === 'unsubscribing') Object.assign(entry, pending(true), { state: 'unsubscribing' });
      return;
    }
    if (this.patterns || this.entries.size >= this.options.maxChannels) return this.overflow();
    this.entries.set(channel, pending(true));
    this.toSubscribe.add(channel);
    this.schedule();
  }

  /** The channel may go: after `lingerMs`, unless wanted again by then. */
  unwant(channel: string): void {
    const entry = this.entries.get(channel);
    if (!entry || !entry.wanted) return;
    entry.wanted = false;
    if (entry.state === 'queued') {
      // Never sent: nothing to undo. A waiter (a join that failed meanwhile) is told.
      this.toSubscribe.delete(channel);
      this.entries.delete(channel);
      entry.reject(new Error('bus: interest withdrawn before it was subscribed'));
      return;
    }
    this.lingering.set(channel, Date.now());
    this.lingerTimer ??= setTimeout(() => this.sweep(), this.options.lingerMs).unref();
  }

  /**
   * Resolves once every message published to the channel from now on reaches this node (the
   * SUBSCRIBE reply arrived); at once when it already does. Rejects while the connection is down
   * (a join answers UNAVAILABLE; the subscription still happens when it is back).
   */
  subscribed(channel: string): Promise<void> {
    const entry = this.entries.get(channel);
    if (entry?.state === 'subscribed') return READY;
    if (!entry) return this.patterns ?? Promise.reject(new Error(`bus: no interest in ${channel}`));
    if (!this.commands.connected()) return Promise.reject(new Error('bus: the subscriber connection is down'));
    return entry.ready;
  }

  /** A channel's message: delivered only from a subscription this node still holds. */
  accepts(channel: string): boolean {
    const state = this.entries.get(channel)?.state;
    const accepted = state === 'subscribed' || state === 'subscribing';
    this.lastAccepted = accepted ? channel : undefined;
    return accepted;
  }

  /** A pattern's message: dropped when it is the twin of the channel message just accepted. */
  acceptsPattern(channel: string): boolean {
    const twin = this.lastAccepted === channel;
    this.lastAccepted = undefined;
    return !twin;
  }

  /** The connection is back: subscriptions that failed meanwhile are sent again. */
  reconnected(): void {
    for (const [channel, entry] of this.entries) {
      if (entry.state === 'queued') this.toSubscribe.add(channel);
    }
    if (this.toSubscribe.size > 0) this.schedule();
  }

  /** Channels subscribed (or on their way), for tests and the docs' per-connection count. */
  get size(): number {
    return this.entries.size;
  }

  get onPatterns(): boolean {
    return this.patternsLive;
  }

  private overflow(): void {
    if (this.patterns) return;
    this.options.onOverflow?.(this.entries.size);
    this.patterns = this.commands.subscribePatterns().then(() => {
      this.patternsLive = true;
    });
    this.patterns.catch(() => (this.patterns = undefined)); // tried again at the next overflowing want
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private sweep(): void {
    this.lingerTimer = undefined;
    const cutoff = Date.now() - this.options.lingerMs;
    for (const [channel, since] of this.lingering) {
      if (since > cutoff) {
        this.lingerTimer = setTimeout(() => this.sweep(), since - cutoff).unref();
        break;
      }
      this.lingering.delete(channel);
      this.toUnsubscribe.add(channel);
    }
    if (this.toUnsubscribe.size > 0) this.schedule();
  }

  private flush(): void {
    this.flushScheduled = false;
    const subscribe = [...this.toSubscribe];
    const unsubscribe = [...this.toUnsubscribe].filter((channel) => this.entries.get(channel)?.state === 'subscribed');
    this.toSubscribe.clear();
    this.toUnsubscribe.clear();
    if (subscribe.length > 0) this.sendSubscribe(subscribe);
    if (unsubscribe.length > 0) this.sendUnsubscribe(unsubscribe);
  }

  private sendSubscribe(channels: string[]): void {
    this.send('subscribe', channels, (_channel, entry) => {
      entry.state = 'subscribed';
      entry.resolve();
    }, (channel, entry, err) => {
      entry.reject(err);
      if (entry.wanted) this.entries.set(channel, pending(true)); // sent again by reconnected()
      else this.entries.delete(channel);
    });
  }

  private sendUnsubscribe(channels: string[]): void {
    this.send('unsubscribe', channels, (channel, entry) => {
      if (!entry.wanted) return void this.entries.delete(channel);
      // Wanted again while it went: subscribe afresh, now that no old message can follow.
      entry.state = 'queued';
      this.toSubscribe.add(channel);
      this.schedule();
    }, (channel, entry) => {
      // Still subscribed (ioredis re-subscribes what it has not seen confirmed gone): let it linger again.
      entry.state = 'subscribed';
      entry.resolve();
      if (!entry.wanted) {
        entry.wanted = true;
        this.unwant(channel);
      }
    });
  }

  /** One command for many channels; each outcome applies to the channels still in that command's state. */
  private send(command: 'subscribe' | 'unsubscribe', channels: string[], done: Outcome, failed: Outcome): void {
    const inFlight: State = command === 'subscribe' ? 'subscribing' : 'unsubscribing';
    for (const channel of channels) this.entries.get(channel)!.state = inFlight;
    const settle = (outcome: Outcome) => (err?: unknown) => {
      for (const channel of channels) {
        const entry = this.entries.get(channel);
        if (entry?.state === inFlight) outcome(channel, entry, err as Error);
      }
    };
    this.commands[command](channels).then(settle(done), settle(failed));
  }
}

type Outcome = (channel: string, entry: Entry, err: Error) => void;

function pending(wanted: boolean): Entry {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  ready.catch(() => undefined); // nobody may be waiting: a rejection is reported to the waiters only
  return { state: 'queued', wanted, ready, resolve, reject };
}
