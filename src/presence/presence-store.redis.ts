import { PresenceMember } from '../protocol';
import type { RedisClients } from '../redis/redis-clients';
import type { Session } from '../registry/session';
import { DirectoryTotals, NodeStatsSnapshot, ReapedSession, RoomCountPage, SharedPresenceStore, SessionLocation, SessionQuery, SessionRecord, SessionRecordPage } from './presence-store';
import { CONNECT, DISCONNECT, JOIN, LEAVE, REAP } from './presence-store.lua';

/** What rg:s:rec holds: the parts of a record that do not change. */
type StoredRecord = Pick<SessionRecord, 'id' | 'userId' | 'nodeId' | 'connectedAt' | 'remoteAddress' | 'tokenId'>;

/** Sessions read per round trip while a filter is applied in memory. */
const SCAN_BATCH = 500;

/** Cluster-wide presence and session directory on Redis (see PresenceStore; keys in presence-store.lua.ts). */
export class RedisPresenceStore implements SharedPresenceStore {
  readonly sharedAcrossNodes = true;

  constructor(
    private readonly redis: RedisClients,
    private readonly nodeId: string,
  ) {}

  async connected(s: Session): Promise<void> {
    const record: StoredRecord = { id: s.id, userId: s.userId, nodeId: this.nodeId, connectedAt: s.connectedAt, remoteAddress: s.remoteAddress, tokenId: s.tokenId };
    await this.redis.command.eval(CONNECT, 0, s.id, s.userId, this.nodeId, JSON.stringify(record), s.tokenId ?? '');
  }

  async disconnected(s: Session): Promise<void> {
    await this.redis.command.eval(DISCONNECT, 0, s.id, this.nodeId);
  }

  async joined(s: Session, room: string): Promise<void> {
    await this.redis.command.eval(JOIN, 0, s.id, s.userId, room);
  }

  async left(s: Session, room: string): Promise<void> {
    await this.redis.command.eval(LEAVE, 0, s.id, room);
  }

  async members(room: string): Promise<PresenceMember[]> {
    const entries = await this.redis.command.hgetall(`rg:pr:${room}`);
    return Object.entries(entries).map(([sessionId, userId]) => ({ userId, sessionId }));
  }

  async roomSize(room: string): Promise<number> {
    return this.redis.command.hlen(`rg:pr:${room}`);
  }

  async countForUser(userId: string): Promise<number> {
    return this.redis.command.zcard(`rg:s:u:${userId}`);
  }

  async sessionCount(): Promise<number> {
    return this.redis.command.zcard('rg:s:all');
  }

  async nodeOf(sessionId: string): Promise<string | undefined> {
    const record = await this.redis.command.hget('rg:s:rec', sessionId);
    return record ? (JSON.parse(record) as StoredRecord).nodeId : undefined;
  }

  /**
   * Reads the most selective index (room, user, node, else every session) in seq order and applies
   * the other filters to the records. A room's presence hash has no order: it is read whole and sorted.
   */
  async sessions({ user, room, node, afterSeq, limit }: SessionQuery): Promise<SessionRecordPage> {
    const accept = (r: StoredRecord) => (user === undefined || r.userId === user) && (node === undefined || r.nodeId === node);
    const matches: { record: StoredRecord; seq: number }[] = [];
    if (room !== undefined) {
      const ids = await this.redis.command.hkeys(`rg:pr:${room}`);
      const found = await this.records(ids, ids.length ? await this.redis.command.zmscore('rg:s:all', ...ids) : []);
      matches.push(...found.filter(({ record, seq }) => seq > afterSeq && accept(record)).sort((a, b) => a.seq - b.seq));
    } else {
      const index = user !== undefined ? `rg:s:u:${user}` : node !== undefined ? `rg:s:n:${node}` : 'rg:s:all';
      let after = afterSeq;
      while (matches.length <= limit) {
        const batch = await this.redis.command.zrangebyscore(index, `(${after}`, '+inf', 'WITHSCORES', 'LIMIT', 0, SCAN_BATCH);
        const ids = batch.filter((_, i) => i % 2 === 0);
        if (ids.length === 0) break;
        const found = await this.records(ids, batch.filter((_, i) => i % 2 === 1));
        matches.push(...found.filter(({ record }) => accept(record)));
        after = Number(batch[batch.length - 1]);
        if (ids.length < SCAN_BATCH) break;
      }
    }
    const page = matches.slice(0, limit);
    return { sessions: await this.complete(page), next: matches.length > limit ? page[page.length - 1].seq : null };
  }

  async session(id: string): Promise<SessionRecord | undefined> {
    const [found] = await this.records([id], [await this.redis.command.zscore('rg:s:all', id)]);
    return found && (await this.complete([found]))[0];
  }

  async locate({ userId, jti }: { userId?: string; jti?: string }): Promise<SessionLocation[]> {
    const ids = new Set<string>();
    if (userId !== undefined) for (const id of await this.redis.command.zrange(`rg:s:u:${userId}`, '0', '-1')) ids.add(id);
    if (jti !== undefined) for (const id of await this.redis.command.smembers(`rg:s:t:${jti}`)) ids.add(id);
    const found = await this.records([...ids], [...ids].map(() => '0'));
    return found.map(({ record }) => ({ id: record.id, nodeId: record.nodeId }));
  }

  async rooms(prefix: string, after: string, limit: number): Promise<RoomCountPage> {
    // Room names are ASCII: every name starting with `prefix` sorts before `prefix` + U+FFFF.
    const min = after && after >= prefix ? `(${after}` : `[${prefix}`;
    const max = prefix ? `(${prefix}\uffff` : '+';
    const names = await this.redis.command.zrangebylex('rg:rooms', min, max, 'LIMIT', 0, limit + 1);
    const page = names.slice(0, limit);
    const pipeline = this.redis.command.pipeline();
    for (const room of page) pipeline.hlen(`rg:pr:${room}`);
    const counts = page.length ? ((await pipeline.exec()) ?? []) : [];
    const items = page.map((room, i) => ({ room, members: Number(counts[i]?.[1] ?? 0) }));
    return { items, next: names.length > limit ? page[page.length - 1] : null };
  }

  async totals(): Promise<DirectoryTotals> {
    const [connections, users, rooms] = await Promise.all([
      this.redis.command.zcard('rg:s:all'),
      this.redis.command.scard('rg:s:users'),
      this.redis.command.zcard('rg:rooms'),
    ]);
    return { connections, users, rooms };
  }

  async nodeStats(): Promise<NodeStatsSnapshot[]> {
    const live = await this.redis.command.zrangebyscore('rg:nodes', Date.now(), '+inf');
    if (live.length === 0) return [];
    const reports = await this.redis.command.mget(...live.map((node) => `rg:stats:${node}`));
    return reports.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as NodeStatsSnapshot);
  }

  async heartbeat(ttlMs: number, stats: NodeStatsSnapshot, activity: [string, number][]): Promise<boolean> {
    const tx = this.redis.command
      .multi()
      .zadd('rg:nodes', Date.now() + ttlMs, this.nodeId)
      .set(`rg:stats:${this.nodeId}`, JSON.stringify(stats), 'PX', ttlMs);
    if (activity.length > 0) tx.hset('rg:s:act', Object.fromEntries(activity));
    const results = await tx.exec();
    const [err, added] = results?.[0] ?? [new Error('heartbeat transaction aborted'), 0];
    if (err) throw err;
    return added === 0;
  }

  async reapDeadNodes(): Promise<ReapedSession[]> {
    const dead = await this.redis.command.zrangebyscore('rg:nodes', '-inf', Date.now());
    const reaped: ReapedSession[] = [];
    for (const node of dead) reaped.push(...(await this.reap(node, false)));
    return reaped;
  }

  whenReady(timeoutMs: number): Promise<void> {
    return this.redis.whenReady(timeoutMs);
  }

  reapOwnLeftovers(): Promise<ReapedSession[]> {
    return this.reap(this.nodeId, true);
  }

  private async reap(node: string, evenIfListed: boolean): Promise<ReapedSession[]> {
    const entries = (await this.redis.command.eval(REAP, 0, node, evenIfListed ? '1' : '0')) as [string, string, string[]][];
    return entries.map(([json, seq, rooms]) => {
      const record = JSON.parse(json) as StoredRecord;
      return { node, record: { ...record, rooms, lastActivityAt: record.connectedAt, seq: Number(seq) } };
    });
  }

  /** The stored records of `ids` (those still there) with their seqs. */
  private async records(ids: string[], seqs: (string | null)[]): Promise<{ record: StoredRecord; seq: number }[]> {
    if (ids.length === 0) return [];
    const records = await this.redis.command.hmget('rg:s:rec', ...ids);
    const found: { record: StoredRecord; seq: number }[] = [];
    records.forEach((json, i) => {
      if (json !== null && seqs[i] !== null) found.push({ record: JSON.parse(json) as StoredRecord, seq: Number(seqs[i]) });
    });
    return found;
  }

  /** Adds the changing parts: rooms and last activity. */
  private async complete(page: { record: StoredRecord; seq: number }[]): Promise<SessionRecord[]> {
    if (page.length === 0) return [];
    const pipeline = this.redis.command.pipeline();
    for (const { record } of page) pipeline.smembers(`rg:s:r:${record.id}`);
    pipeline.hmget('rg:s:act', ...page.map(({ record }) => record.id));
    const results = (await pipeline.exec()) ?? [];
    const activity = (results[page.length]?.[1] as (string | null)[] | undefined) ?? [];
    return page.map(({ record, seq }, i) => ({
      ...record,
      rooms: ((results[i]?.[1] as string[] | undefined) ?? []).sort(),
      lastActivityAt: Number(activity[i] ?? record.connectedAt),
      seq,
    }));
  }
}
