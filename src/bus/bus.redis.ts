import type { StoredMessage } from '../history/history-store';
import type { RedisClients } from '../redis/redis-clients';
import { Bus, BusListener, ControlHandler, ControlMessage, InterestKind } from './bus';
import { ChannelNames, channelNames, ControlHandlers, joinPayload, PATTERNS, splitPayload } from './bus-codec';
import { ChannelInterest, SubscribeCommands } from './channel-interest';

/** What a node received from Redis, by kind (MetricsModule's BusMetrics: realtime_bus_messages_received_total). */
export type BusReceivedCounters = Record<'room' | 'event' | 'user' | 'broadcast' | 'control' | 'kick', { value: number }>;

/**
 * Interest: a room's or user's channel stays subscribed this long after its last local session
 * left, so a user hopping out and back costs no SUBSCRIBE/UNSUBSCRIBE pair.
 */
export const INTEREST_LINGER_MS = 5000;
/**
 * Channels one node's subscriber connection subscribes one by one (a room takes two, a user two: its frames and its stream).
 * Redis has no limit of its own; each subscription costs it a few hundred bytes (the channel in
 * the server's and the client's pub/sub dicts), so this bound is at most ~30 MB per node. Beyond
 * it the node falls back to the patterns and receives every room and user, as before interest.
 * Not on a Redis Cluster: sharded pub/sub has no patterns, and the subscriptions are spread over
 * one connection per primary (see shardedCommands).
 */
export const MAX_INTEREST_CHANNELS = 100_000;

/**
 * Redis pub/sub: at most once, in each channel's publish order. Channels are classic on one Redis
 * or Sentinel, sharded on a Redis Cluster (bus-codec.ts).
 */
export class RedisBus implements Bus {
  private listener?: BusListener;
  private subscribedOnce = false;
  private readonly handlers = new ControlHandlers();
  private readonly channels: ChannelNames;
  readonly interests: ChannelInterest;
  private readonly subscribeShared: (channels: string[]) => Promise<unknown>;

  constructor(
    private readonly redis: RedisClients,
    private readonly nodeId: string,
    private readonly logger: { error(context: object, message: string): void },
    private readonly received?: BusReceivedCounters,
    options: { lingerMs?: number; maxChannels?: number } = {},
  ) {
    const sub = redis.subscriber;
    this.channels = channelNames(redis.mode);
    const connected = () => sub.status === 'ready';
    const commands: SubscribeCommands = this.channels.sharded
      ? shardedCommands(redis, this.channels, connected)
      : {
          subscribe: (channels) => sub.subscribe(...channels),
          unsubscribe: (channels) => sub.unsubscribe(...channels),
          subscribePatterns: () => sub.psubscribe(...PATTERNS),
          connected,
        };
    this.subscribeShared = commands.subscribe;
    this.interests = new ChannelInterest(
      commands,
      {
        lingerMs: options.lingerMs ?? INTEREST_LINGER_MS,
        maxChannels: this.channels.sharded ? Infinity : (options.maxChannels ?? MAX_INTEREST_CHANNELS),
        onOverflow: (channels) => logger.error({ channels }, 'bus: channel bound reached; this node now receives every room and user (patterns)'),
      },
    );
  }

  listen(listener: BusListener): void {
    this.listener = listener;
    const sub = this.redis.subscriber;
    // Already connected: the next 'ready' is a reconnection, so it must be reported.
    this.subscribedOnce = sub.status === 'ready';
    sub.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, payload: Buffer) => {
      const name = channel.toString();
      if (this.interests.acceptsPattern(name)) this.safely(name, payload);
    });
    const onMessage = (channel: Buffer, payload: Buffer) => {
      const name = channel.toString();
      if (!this.channels.parse(name) || this.interests.accepts(name)) this.safely(name, payload);
    };
    sub.on('messageBuffer', onMessage);
    const reconnected = () => {
      // ioredis re-subscribes on reconnect; what was published in between is lost.
      if (this.subscribedOnce) this.listener?.resubscribed();
      this.subscribedOnce = true;
      this.interests.reconnected();
    };
    sub.on('ready', reconnected);
    if (this.channels.sharded) {
      sub.on('smessageBuffer', onMessage);
      // A Cluster stays 'ready' while one shard fails over: its sharded subscribers are replaced
      // (one per primary) and re-subscribed, then it says so. Spurious ones (a topology refresh
      // that lost nothing) only cost a reconciliation.
      sub.on('subscribersReady', () => {
        if (this.subscribedOnce) reconnected();
      });
    }
    // Shared channels; rooms and users are subscribed by interest.
    void this.subscribeShared([this.channels.all, this.channels.control, this.channels.node(this.nodeId)]);
  }

  interest(kind: InterestKind, key: string): void {
    for (const channel of this.channels.interest(kind, key)) this.interests.want(channel);
  }

  subscribed(kind: InterestKind, key: string): Promise<void> {
    const [first, second] = this.channels.interest(kind, key);
    const messages = this.interests.subscribed(first);
    const events = this.interests.subscribed(second);
    return messages === events ? messages : Promise.all([messages, events]).then(() => undefined);
  }

  disinterest(kind: InterestKind, key: string): void {
    for (const channel of this.channels.interest(kind, key)) this.interests.unwant(channel);
  }

  /** Nothing to do: RedisHistoryStore's append script published the message with the offset it assigned. */
  messageStored(_room: string, _stored: StoredMessage): void {}

  /** Nothing to do: the user stream's append script published it (`<offset>|<epoch>|<frame>` on rg:dm:<user>). */
  userMessageStored(): void {}

  async roomEvent(room: string, frame: Buffer, exceptSessionId = ''): Promise<void> {
    await this.publish(this.channels.roomEvent(room), joinPayload([exceptSessionId], frame));
  }

  async toUser(userId: string, frame: Buffer): Promise<void> {
    await this.publish(this.channels.user(userId), frame);
  }

  /** SPUBLISH to the channel's shard on a Cluster. */
  private async publish(channel: string, payload: Buffer): Promise<void> {
    await (this.channels.sharded ? this.redis.command.spublish(channel, payload) : this.redis.command.publish(channel, payload));
  }

  async toAll(frame: Buffer): Promise<void> {
    await this.publish(this.channels.all, frame);
  }

  async kick(nodeId: string, sessionId: string, code?: number): Promise<void> {
    await this.publish(this.channels.node(nodeId), Buffer.from(`${code === undefined ? 'kick' : `kick:${code}`}|${sessionId}`));
  }

  async control(message: ControlMessage): Promise<void> {
    await this.publish(this.channels.control, Buffer.from(JSON.stringify(message)));
  }

  onControl(handler: ControlHandler): void {
    this.handlers.add(handler);
  }

  /** A malformed payload (another version, a stray publisher) is logged, never thrown into ioredis. */
  private safely(channel: string, payload: Buffer): void {
    try {
      this.dispatch(channel, payload);
    } catch (err) {
      this.logger.error({ err, channel }, 'bus: undeliverable payload');
    }
  }

  private dispatch(channel: string, payload: Buffer): void {
    const listener = this.listener;
    if (!listener) return;
    const received = this.received;
    const target = this.channels.parse(channel);
    if (target?.kind === 'room') {
      if (received) received.room.value++;
      const { fields, frame } = splitPayload(payload, 2);
      listener.roomMessage(target.key, Number(fields[0]), fields[1], frame);
    } else if (target?.kind === 'event') {
      if (received) received.event.value++;
      const { fields, frame } = splitPayload(payload, 1);
      listener.roomEvent(target.key, frame, fields[0] || undefined);
    } else if (target?.kind === 'user') {
      if (received) received.user.value++;
      listener.userFrame(target.key, payload);
    } else if (target?.kind === 'userStream') {
      if (received) received.user.value++;
      const { fields, frame } = splitPayload(payload, 2);
      listener.userMessage(target.key, Number(fields[0]), fields[1], frame);
    } else if (channel === this.channels.all) {
      if (received) received.broadcast.value++;
      listener.allFrame(payload);
    } else if (channel === this.channels.control) {
      if (received) received.control.value++;
      this.handlers.dispatch(JSON.parse(payload.toString()) as ControlMessage);
    } else {
      if (received) received.kick.value++;
      const { fields, frame } = splitPayload(payload, 1);
      const [verb, code] = fields[0].split(':');
      if (verb === 'kick') listener.kick(frame.toString(), code === undefined ? undefined : Number(code));
    }
  }
}

/**
 * Sharded pub/sub on a Redis Cluster: ioredis' Cluster (built with `shardedSubscribers`) keeps one
 * subscriber connection per primary and sends SSUBSCRIBE/SUNSUBSCRIBE to the one owning the
 * channels' slot, so one command must name channels of one slot: a batch is split by hash tag (a
 * room's two channels share one). No patterns: nothing can subscribe to every shard's channels.
 */
function shardedCommands(redis: RedisClients, channels: ChannelNames, connected: () => boolean): SubscribeCommands {
  const bySlot = (command: (...names: string[]) => Promise<unknown>) => (names: string[]) => {
    const groups = new Map<string, string[]>();
    for (const name of names) {
      const tag = channels.slotTag(name);
      groups.set(tag, [...(groups.get(tag) ?? []), name]);
    }
    return Promise.all([...groups.values()].map((group) => command(...group)));
  };
  const sub = redis.subscriber;
  return {
    subscribe: bySlot((...names) => sub.ssubscribe(...names)),
    unsubscribe: bySlot((...names) => sub.sunsubscribe(...names)),
    subscribePatterns: () => Promise.reject(new Error('bus: sharded pub/sub has no patterns')),
    connected,
  };
}
