import { randomBytes } from 'node:crypto';
import { ChannelNames, channelNames } from '../bus/bus-codec';
import { HistoryPage, RoomMessageData, StreamPosition } from '../protocol';
import { LuaScript } from '../redis/lua-script';
import type { StoreConnection } from '../redis/store-connection';
import { HistoryLimits, NewRoomMessage, ROOM_STREAMS, SharedHistoryStore, SharedStreams, Stored, StreamKind, StreamPage } from './history-store';
import { append, AT, PAGE, POSITION, SINCE } from './history-store.lua';

/** Stream metadata (epoch and offset) outlives the messages, so an idle room keeps its position. */
const META_TTL_FACTOR = 12;

const newEpoch = () => randomBytes(8).toString('base64url');

type Entry = Buffer; // `<expiresAtMs>|<frame>`

/**
 * Sentinel and Cluster modes: a stream's epoch belongs to one primary (on a Cluster, the primary
 * of the room's slot). Replication is asynchronous, so a promoted replica may lack a stream's
 * newest entries and would hand their offsets out again to other messages. Prefixed to the scripts: the meta records the primary that last used it (its
 * run_id, new at every restart, and replication id, new at every promotion); another primary gives
 * the stream a new epoch first (APPEND, POSITION, PAGE: ARGV[1] is a new epoch), and SINCE cannot
 * recover across it. docs/reliability.md, "Redis Sentinel failover" and "Redis Cluster failover"
 * (a slot migrated to another primary also renews its rooms' epochs).
 */
const PRIMARY = `local primary = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)') .. string.match(redis.call('INFO', 'replication'), 'master_replid:(%x+)')
local samePrimary = redis.call('HGET', KEYS[1], 'primary') == primary
`;
const ON_NEW_PRIMARY_RENEW = `${PRIMARY}if not samePrimary then
  if redis.call('HEXISTS', KEYS[1], 'epoch') == 1 then redis.call('HSET', KEYS[1], 'epoch', ARGV[1]) end
  redis.call('HSET', KEYS[1], 'primary', primary)
end
`;
const ON_NEW_PRIMARY_REFUSE = `${PRIMARY}if not samePrimary then return nil end
`;

/**
 * The streams of one key space (StreamKind: rooms, users) on Redis. One Lua script per operation,
 * so offset assignment, storage and publication happen atomically per stream: all nodes see a
 * stream's messages in offset order. If Redis loses a stream (restart without persistence), the
 * next use creates a new epoch.
 */
export class RedisStreamStore<N, D extends StreamPosition> implements SharedStreams<N, D> {
  readonly sharedAcrossNodes = true;
  private readonly scripts: { APPEND: LuaScript; POSITION: LuaScript; SINCE: LuaScript; PAGE: LuaScript; AT: LuaScript };
  private readonly channels: ChannelNames;

  constructor(
    private readonly redis: StoreConnection,
    private readonly limits: HistoryLimits,
    private readonly kind: StreamKind<N, D>,
  ) {
    // Only one Redis (REDIS_URL) never changes primary.
    const failover = redis.mode !== 'single';
    const renew = failover ? ON_NEW_PRIMARY_RENEW : '';
    this.channels = channelNames(redis.mode);
    const refuse = failover ? ON_NEW_PRIMARY_REFUSE : '';
    // Sent by SHA1 (EVALSHA), the text only on NOSCRIPT: an APPEND's text was ~1.1 KB of every publish.
    this.scripts = {
      APPEND: new LuaScript(renew + append(this.channels.sharded ? 'SPUBLISH' : 'PUBLISH')),
      POSITION: new LuaScript(renew + POSITION),
      PAGE: new LuaScript(renew + PAGE),
      SINCE: new LuaScript(refuse + SINCE),
      AT: new LuaScript(refuse + AT),
    };
  }

  async append(room: string, message: N): Promise<Stored<D>> {
    // The script completes the frame with the offset and epoch it assigns.
    const head = JSON.stringify({ type: this.kind.frameType, data: message }).slice(0, -2);
    const [offset, epoch, frame] = (await this.scripts.APPEND.run(this.redis.command, 2, ...this.kind.redisKeys(room), newEpoch(), head, this.limits.sizePerRoom, this.limits.ttlMs, Date.now(), this.metaTtlMs, this.kind.channel(this.channels, room))) as [number, string, string];
    return { data: this.kind.data(message, offset, epoch), frame: Buffer.from(frame) };
  }

  async position(room: string): Promise<StreamPosition> {
    const [offset, epoch] = (await this.scripts.POSITION.run(this.redis.command, 2, ...this.kind.redisKeys(room), newEpoch(), this.metaTtlMs)) as [number, string];
    return { offset, epoch };
  }

  async since(room: string, since: StreamPosition): Promise<Stored<D>[] | null> {
    const entries = (await this.scripts.SINCE.runBuffer(this.redis.command, 2, ...this.kind.redisKeys(room), since.epoch, since.offset, Date.now())) as Entry[] | null;
    return entries === null ? null : entries.map((e) => toStored<D>(e));
  }

  async page(room: string, limit: number, before?: number): Promise<StreamPage<D>> {
    const [offset, epoch, entries] = (await this.scripts.PAGE.run(this.redis.command, 2, ...this.kind.redisKeys(room), newEpoch(), this.metaTtlMs, Date.now())) as [number, string, string[]];
    const all = entries.map((e) => toStored<D>(Buffer.from(e)).data);
    const older = before === undefined ? all : all.filter((m) => m.offset < before);
    return { offset, epoch, messages: older.slice(Math.max(0, older.length - limit)) };
  }

  async at(room: string, position: StreamPosition): Promise<D | null> {
    const entry = (await this.scripts.AT.runBuffer(this.redis.command, 2, ...this.kind.redisKeys(room), position.epoch, position.offset, Date.now())) as Entry | null;
    return entry === null ? null : toStored<D>(entry).data;
  }

  private get metaTtlMs(): number {
    return this.limits.ttlMs * META_TTL_FACTOR;
  }
}

/** HistoryStore on Redis: the room key space. */
export class RedisHistoryStore extends RedisStreamStore<NewRoomMessage, RoomMessageData> implements SharedHistoryStore {
  constructor(redis: StoreConnection, limits: HistoryLimits) {
    super(redis, limits, ROOM_STREAMS);
  }

  override async page(room: string, limit: number, before?: number): Promise<HistoryPage> {
    const { offset, epoch, messages } = await super.page(room, limit, before);
    return { room, offset, epoch, messages };
  }
}

function toStored<D extends StreamPosition>(entry: Entry): Stored<D> {
  const frame = entry.subarray(entry.indexOf(0x7c) + 1);
  return { data: (JSON.parse(frame.toString()) as { data: D }).data, frame };
}
