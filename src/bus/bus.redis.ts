import type { StoredMessage } from '../history/history-store';
import type { RedisClients } from '../redis/redis-clients';
import { Bus, BusListener, ControlHandler, ControlMessage } from './bus';
import { Channel, ControlHandlers, joinPayload, PATTERNS, splitPayload } from './bus-codec';

const ROOM_PREFIX = 'rg:room:';
const EVENT_PREFIX = 'rg:ev:';
const USER_PREFIX = 'rg:user:';

/** Redis pub/sub: at most once, in each channel's publish order. */
export class RedisBus implements Bus {
  private listener?: BusListener;
  private subscribedOnce = false;
  private readonly handlers = new ControlHandlers();

  constructor(
    private readonly redis: RedisClients,
    private readonly nodeId: string,
    private readonly logger: { error(context: object, message: string): void },
  ) {}

  listen(listener: BusListener): void {
    this.listener = listener;
    const sub = this.redis.subscriber;
    // Already connected: the next 'ready' is a reconnection, so it must be reported.
    this.subscribedOnce = sub.status === 'ready';
    sub.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, payload: Buffer) => this.safely(channel, payload));
    sub.on('messageBuffer', (channel: Buffer, payload: Buffer) => this.safely(channel, payload));
    sub.on('ready', () => {
      // ioredis re-subscribes on reconnect; what was published in between is lost.
      if (this.subscribedOnce) this.listener?.resubscribed();
      this.subscribedOnce = true;
    });
    void sub.psubscribe(...PATTERNS);
    void sub.subscribe(Channel.all, Channel.control, Channel.node(this.nodeId));
  }

  /** Nothing to do: RedisHistoryStore's append script published the message with the offset it assigned. */
  messageStored(_room: string, _stored: StoredMessage): void {}

  async roomEvent(room: string, frame: Buffer, exceptSessionId = ''): Promise<void> {
    await this.redis.command.publish(Channel.roomEvent(room), joinPayload([exceptSessionId], frame));
  }

  async toUser(userId: string, frame: Buffer): Promise<void> {
    await this.redis.command.publish(Channel.user(userId), frame);
  }

  async toAll(frame: Buffer): Promise<void> {
    await this.redis.command.publish(Channel.all, frame);
  }

  async kick(nodeId: string, sessionId: string, code?: number): Promise<void> {
    await this.redis.command.publish(Channel.node(nodeId), `${code === undefined ? 'kick' : `kick:${code}`}|${sessionId}`);
  }

  async control(message: ControlMessage): Promise<void> {
    await this.redis.command.publish(Channel.control, JSON.stringify(message));
  }

  onControl(handler: ControlHandler): void {
    this.handlers.add(handler);
  }

  /** A malformed payload (another version, a stray publisher) is logged, never thrown into ioredis. */
  private safely(channel: Buffer, payload: Buffer): void {
    try {
      this.dispatch(channel.toString(), payload);
    } catch (err) {
      this.logger.error({ err, channel: channel.toString() }, 'bus: undeliverable payload');
    }
  }

  private dispatch(channel: string, payload: Buffer): void {
    const listener = this.listener;
    if (!listener) return;
    if (channel.startsWith(ROOM_PREFIX)) {
      const { fields, frame } = splitPayload(payload, 2);
      listener.roomMessage(channel.slice(ROOM_PREFIX.length), Number(fields[0]), fields[1], frame);
    } else if (channel.startsWith(EVENT_PREFIX)) {
      const { fields, frame } = splitPayload(payload, 1);
      listener.roomEvent(channel.slice(EVENT_PREFIX.length), frame, fields[0] || undefined);
    } else if (channel.startsWith(USER_PREFIX)) {
      listener.userFrame(channel.slice(USER_PREFIX.length), payload);
    } else if (channel === Channel.all) {
      listener.allFrame(payload);
    } else if (channel === Channel.control) {
      this.handlers.dispatch(JSON.parse(payload.toString()) as ControlMessage);
    } else {
      const { fields, frame } = splitPayload(payload, 1);
      const [verb, code] = fields[0].split(':');
      if (verb === 'kick') listener.kick(frame.toString(), code === undefined ? undefined : Number(code));
    }
  }
}
