import { PresenceMember } from '../protocol';
import type { RedisClients } from '../redis/redis-clients';
import type { Session } from '../registry/session';
import { PresenceStore } from './presence-store';

/*
 * Keys: rg:nodes (zset node -> expiry ms), rg:sess (hash session -> `node|user`), rg:us:<user>
 * (set of sessions), rg:pr:<room> (hash session -> user), rg:ns:<node> (set of sessions),
 * rg:nr:<node> (set of `room|session`). The per-node sets let survivors clean up a dead node.
 */
const REAP = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return {} end
local left = {}
for _, entry in ipairs(redis.call('SMEMBERS', 'rg:nr:' .. ARGV[1])) do
  local sep = string.find(entry, '|', 1, true)
  local room, sid = string.sub(entry, 1, sep - 1), string.sub(entry, sep + 1)
  local user = redis.call('HGET', 'rg:pr:' .. room, sid)
  if user then
    redis.call('HDEL', 'rg:pr:' .. room, sid)
    left[#left + 1] = room .. '|' .. sid .. '|' .. user
  end
end
for _, sid in ipairs(redis.call('SMEMBERS', 'rg:ns:' .. ARGV[1])) do
  local record = redis.call('HGET', 'rg:sess', sid)
  if record then
    redis.call('SREM', 'rg:us:' .. string.sub(record, string.find(record, '|', 1, true) + 1), sid)
    redis.call('HDEL', 'rg:sess', sid)
  end
end
redis.call('DEL', 'rg:nr:' .. ARGV[1], 'rg:ns:' .. ARGV[1])
return left
`;

export interface DepartedMember {
  room: string;
  sessionId: string;
  userId: string;
}

/** Cluster-wide presence and session directory on Redis (see PresenceStore). */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly redis: RedisClients,
    private readonly nodeId: string,
  ) {}

  async connected(s: Session): Promise<void> {
    await this.redis.command
      .multi()
      .hset('rg:sess', s.id, `${this.nodeId}|${s.userId}`)
      .sadd(`rg:us:${s.userId}`, s.id)
      .sadd(`rg:ns:${this.nodeId}`, s.id)
      .exec();
  }

  async disconnected(s: Session, rooms: string[]): Promise<void> {
    const tx = this.redis.command.multi().hdel('rg:sess', s.id).srem(`rg:us:${s.userId}`, s.id).srem(`rg:ns:${this.nodeId}`, s.id);
    for (const room of rooms) tx.hdel(`rg:pr:${room}`, s.id).srem(`rg:nr:${this.nodeId}`, `${room}|${s.id}`);
    await tx.exec();
  }

  async joined(s: Session, room: string): Promise<void> {
    await this.redis.command.multi().hset(`rg:pr:${room}`, s.id, s.userId).sadd(`rg:nr:${this.nodeId}`, `${room}|${s.id}`).exec();
  }

  async left(s: Session, room: string): Promise<void> {
    await this.redis.command.multi().hdel(`rg:pr:${room}`, s.id).srem(`rg:nr:${this.nodeId}`, `${room}|${s.id}`).exec();
  }

  async members(room: string): Promise<PresenceMember[]> {
    const entries = await this.redis.command.hgetall(`rg:pr:${room}`);
    return Object.entries(entries).map(([sessionId, userId]) => ({ userId, sessionId }));
  }

  async countForUser(userId: string): Promise<number> {
    return this.redis.command.scard(`rg:us:${userId}`);
  }

  async sessionCount(): Promise<number> {
    return this.redis.command.hlen('rg:sess');
  }

  async nodeOf(sessionId: string): Promise<string | undefined> {
    const record = await this.redis.command.hget('rg:sess', sessionId);
    return record?.slice(0, record.indexOf('|'));
  }

  /** Marks this node alive until now + ttlMs. */
  async heartbeat(ttlMs: number): Promise<void> {
    await this.redis.command.zadd('rg:nodes', Date.now() + ttlMs, this.nodeId);
  }

  /** Removes every node whose liveness expired; returns the memberships they held (each reaped once). */
  async reapDeadNodes(): Promise<DepartedMember[]> {
    const dead = await this.redis.command.zrangebyscore('rg:nodes', '-inf', Date.now());
    const departed: DepartedMember[] = [];
    for (const node of dead) {
      const left = (await this.redis.command.eval(REAP, 1, 'rg:nodes', node)) as string[];
      for (const entry of left) {
        const [room, sessionId, userId] = entry.split('|');
        departed.push({ room, sessionId, userId });
      }
    }
    return departed;
  }
}
