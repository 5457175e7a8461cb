import { randomBytes } from 'node:crypto';
import { Channel } from '../bus/bus-codec';
import { HistoryPage, RoomMessageData, StreamPosition } from '../protocol';
import type { StoreConnection } from '../redis/store-connection';
import { HistoryLimits, NewRoomMessage, SharedHistoryStore, roomMessageData, StoredMessage } from './history-store';
import { APPEND, PAGE, POSITION, SINCE } from './history-store.lua';

/** Stream metadata (epoch and offset) outlives the messages, so an idle room keeps its position. */
const META_TTL_FACTOR = 12;

const keys = (room: string) => [`rg:h:{${room}}:meta`, `rg:h:{${room}}:log`];
const newEpoch = () => randomBytes(8).toString('base64url');

type Entry = Buffer; // `<expiresAtMs>|<frame>`

/**
 * HistoryStore on Redis. One Lua script per operation, so offset assignment, storage and
 * publication happen atomically per room: all nodes see a room's messages in offset order. If
 * Redis loses a stream (restart without persistence), the next use creates a new epoch.
 */
export class RedisHistoryStore implements SharedHistoryStore {
  readonly sharedAcrossNodes = true;

  constructor(
    private readonly redis: StoreConnection,
    private readonly limits: HistoryLimits,
  ) {}

  async append(room: string, message: NewRoomMessage): Promise<StoredMessage> {
    // The script completes the frame with the offset and epoch it assigns.
    const head = JSON.stringify({ type: 'message', data: message }).slice(0, -2);
    const [offset, epoch, frame] = (await this.redis.command.eval(APPEND, 2, ...keys(room), newEpoch(), head, this.limits.sizePerRoom, this.limits.ttlMs, Date.now(), this.metaTtlMs, Channel.room(room))) as [number, string, string];
    return { data: roomMessageData(message, offset, epoch), frame: Buffer.from(frame) };
  }

  async position(room: string): Promise<StreamPosition> {
    const [offset, epoch] = (await this.redis.command.eval(POSITION, 2, ...keys(room), newEpoch(), this.metaTtlMs)) as [number, string];
    return { offset, epoch };
  }

  async since(room: string, since: StreamPosition): Promise<StoredMessage[] | null> {
    const entries = (await this.redis.command.callBuffer('EVAL', SINCE, 2, ...keys(room), since.epoch, since.offset, Date.now())) as Entry[] | null;
    return entries === null ? null : entries.map(toStored);
  }

  async page(room: string, limit: number, before?: number): Promise<HistoryPage> {
    const [offset, epoch, entries] = (await this.redis.command.eval(PAGE, 2, ...keys(room), newEpoch(), this.metaTtlMs, Date.now())) as [number, string, string[]];
    const all = entries.map((e) => toStored(Buffer.from(e)).data);
    const older = before === undefined ? all : all.filter((m) => m.offset < before);
    return { room, offset, epoch, messages: older.slice(Math.max(0, older.length - limit)) };
  }

  private get metaTtlMs(): number {
    return this.limits.ttlMs * META_TTL_FACTOR;
  }
}

function toStored(entry: Entry): StoredMessage {
  const frame = entry.subarray(entry.indexOf(0x7c) + 1);
  return { data: (JSON.parse(frame.toString()) as { data: RoomMessageData }).data, frame };
}
