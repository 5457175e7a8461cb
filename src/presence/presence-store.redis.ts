import { PresenceMember } from '../protocol';
import type { StoreConnection } from '../redis/store-connection';
import type { Session } from '../registry/session';
import { DirectoryTotals, NodeStatsSnapshot, ReapedSession, RoomCountPage, SharedPresenceStore, SessionLocation, SessionQuery, SessionRecord, SessionRecordPage } from './presence-store';
import { CONNECT, DIR, DROP, JOIN, LEAVE } from './presence-store.lua';

/** What the records hash holds: the parts of a record that do not change. */
type StoredRecord = Pick<SessionRecord, 'id' | 'userId' | 'nodeId' | 'connectedAt' | 'remoteAddress' | 'tokenId'>;

/** Sessions read per round trip while a filter is applied in memory. */
const SCAN_BATCH = 500;

/** A session as DROP names its keys: what the caller knows or read of it. */
interface Dropped {
  id: string;
  /** '' when the directory has no record of it. */
  userId: string;
  tokenId: string;
  rooms: string[];
}

/** Times DROP is retried when the directory changed between the read that named its keys and the script. */
const DROP_ATTEMPTS = 5;

/** Cluster-wide presence and session directory on Redis (see PresenceStore; keys in presence-store.lua.ts). */
export class RedisPresenceStore implements SharedPresenceStore {
  readonly sharedAcrossNodes = true;

  constructor(
    private readonly redis: StoreConnection,
    private readonly nodeId: string,
  ) {}

  async connected(s: Session): Promise<void> {
    const record: StoredRecord = { id: s.id, userId: s.userId, nodeId: this.nodeId, connectedAt: s.connectedAt, remoteAddress: s.remoteAddress, tokenId: s.tokenId };
    const keys = [DIR.seq, DIR.records, DIR.all, DIR.users, DIR.user(s.userId), DIR.node(this.nodeId)];
    if (s.tokenId !== undefined) keys.push(DIR.token(s.tokenId));
    await this.redis.command.eval(CONNECT, keys.length, ...keys, s.id, s.userId, JSON.stringify(record));
  }

  async disconnected(s: Session, rooms: string[]): Promise<void> {
    await this.drop(this.nodeId, 'session', [{ id: s.id, userId: s.userId, tokenId: s.tokenId ?? '', rooms }]);
  }

  async joined(s: Session, room: string): Promise<void> {
    await this.redis.command.eval(JOIN, 3, DIR.room(room), DIR.sessionRooms(s.id), DIR.rooms, s.id, s.userId, room);
  }

  async left(s: Session, room: string): Promise<void> {
    await this.redis.command.eval(LEAVE, 3, DIR.room(room), DIR.sessionRooms(s.id), DIR.rooms, s.id, room);
  }

  async members(room: string): Promise<PresenceMember[]> {
    const entries = await this.redis.command.hgetall(DIR.room(room));
    return Object.entries(entries).map(([sessionId, userId]) => ({ userId, sessionId }));
  }

  async roomSize(room: string): Promise<number> {
    return this.redis.command.hlen(DIR.room(room));
  }

  async countForUser(userId: string): Promise<number> {
    return this.redis.command.zcard(DIR.user(userId));
  }

  async sessionCount(): Promise<number> {
    return this.redis.command.zcard(DIR.all);
  }

  async nodeOf(sessionId: string): Promise<string | undefined> {
    const record = await this.redis.command.hget(DIR.records, sessionId);
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
      const ids = await this.redis.command.hkeys(DIR.room(room));
      const found = await this.records(ids, ids.length ? await this.redis.command.zmscore(DIR.all, ...ids) : []);
      matches.push(...found.filter(({ record, seq }) => seq > afterSeq && accept(record)).sort((a, b) => a.seq - b.seq));
    } else {
      const index = user !== undefined ? DIR.user(user) : node !== undefined ? DIR.node(node) : DIR.all;
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
    const [found] = await this.records([id], [await this.redis.command.zscore(DIR.all, id)]);
    return found && (await this.complete([found]))[0];
  }

  async locate({ userId, jti }: { userId?: string; jti?: string }): Promise<SessionLocation[]> {
    const ids = new Set<string>();
    if (userId !== undefined) for (const id of await this.redis.command.zrange(DIR.user(userId), '0', '-1')) ids.add(id);
    if (jti !== undefined) for (const id of await this.redis.command.smembers(DIR.token(jti))) ids.add(id);
    const found = await this.records([...ids], [...ids].map(() => '0'));
    return found.map(({ record }) => ({ id: record.id, nodeId: record.nodeId }));
  }

  async rooms(prefix: string, after: string, limit: number): Promise<RoomCountPage> {
    // Room names are ASCII: every name starting with `prefix` sorts before `prefix` + U+FFFF.
    const min = after && after >= prefix ? `(${after}` : `[${prefix}`;
    const max = prefix ? `(${prefix}\uffff` : '+';
    const names = await this.redis.command.zrangebylex(DIR.rooms, min, max, 'LIMIT', 0, limit + 1);
    const page = names.slice(0, limit);
    const pipeline = this.redis.command.pipeline();
    for (const room of page) pipeline.hlen(DIR.room(room));
    const counts = page.length ? ((await pipeline.exec()) ?? []) : [];
    const items = page.map((room, i) => ({ room, members: Number(counts[i]?.[1] ?? 0) }));
    return { items, next: names.length > limit ? page[page.length - 1] : null };
  }

  async totals(): Promise<DirectoryTotals> {
    const [connections, users, rooms] = await Promise.all([
      this.redis.command.zcard(DIR.all),
      this.redis.command.scard(DIR.users),
      this.redis.command.zcard(DIR.rooms),
    ]);
    return { connections, users, rooms };
  }

  async nodeStats(): Promise<NodeStatsSnapshot[]> {
    const live = await this.redis.command.zrangebyscore(DIR.nodes, Date.now(), '+inf');
    if (live.length === 0) return [];
    const reports = await this.redis.command.mget(...live.map((node) => DIR.stats(node)));
    return reports.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as NodeStatsSnapshot);
  }

  async heartbeat(ttlMs: number, stats: NodeStatsSnapshot, activity: [string, number][]): Promise<boolean> {
    const tx = this.redis.command
      .multi()
      .zadd(DIR.nodes, Date.now() + ttlMs, this.nodeId)
      .set(DIR.stats(this.nodeId), JSON.stringify(stats), 'PX', ttlMs);
    if (activity.length > 0) tx.hset(DIR.activity, Object.fromEntries(activity));
    const results = await tx.exec();
    const [err, added] = results?.[0] ?? [new Error('heartbeat transaction aborted'), 0];
    if (err) throw err;
    return added === 0;
  }

  async reapDeadNodes(): Promise<ReapedSession[]> {
    const dead = await this.redis.command.zrangebyscore(DIR.nodes, '-inf', Date.now());
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
    const entries = await this.drop(node, evenIfListed ? 'own' : 'reap');
    return entries.map(([json, seq, rooms]) => {
      const record = JSON.parse(json) as StoredRecord;
      return { node, record: { ...record, rooms, lastActivityAt: record.connectedAt, seq: Number(seq) } };
    });
  }

  /**
   * Runs DROP, which must name every key it touches: first with what the caller knows (a
   * disconnect), else with what is read now; again with a fresh read while the directory changes
   * between the read and the script (a session of the node joined a room meanwhile, say).
   */
  private async drop(node: string, mode: 'session' | 'reap' | 'own', known?: Dropped[]): Promise<[string, string, string[]][]> {
    let sessions = known ?? (await this.read(await this.redis.command.zrange(DIR.node(node), '0', '-1')));
    for (let attempt = 1; ; attempt++) {
      const keys = [DIR.records, DIR.activity, DIR.all, DIR.users, DIR.rooms, DIR.nodes, DIR.node(node), DIR.stats(node)];
      const args = [node, mode, String(sessions.length)];
      for (const { id, userId, tokenId, rooms } of sessions) {
        keys.push(DIR.sessionRooms(id));
        if (userId) keys.push(DIR.user(userId));
        if (tokenId) keys.push(DIR.token(tokenId));
        keys.push(...rooms.map(DIR.room));
        args.push(id, userId, tokenId, String(rooms.length), ...rooms);
      }
      const dropped = (await this.redis.command.eval(DROP, keys.length, ...keys, ...args)) as [string, string, string[]][] | null;
      if (dropped !== null) return dropped;
      if (attempt === DROP_ATTEMPTS) throw new Error(`presence: the sessions of node ${node} kept changing while they were dropped`);
      sessions = await this.read(mode === 'session' ? sessions.map((s) => s.id) : await this.redis.command.zrange(DIR.node(node), '0', '-1'));
    }
  }

  /** The user, token id and rooms the directory holds now for each of `ids`. */
  private async read(ids: string[]): Promise<Dropped[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.command.pipeline().hmget(DIR.records, ...ids);
    for (const id of ids) pipeline.smembers(DIR.sessionRooms(id));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
    const records = results[0][1] as (string | null)[];
    return ids.map((id, i) => {
      const record = records[i] === null ? undefined : (JSON.parse(records[i]!) as StoredRecord);
      return { id, userId: record?.userId ?? '', tokenId: record?.tokenId ?? '', rooms: results[i + 1][1] as string[] };
    });
  }

  /** The stored records of `ids` (those still there) with their seqs. */
  private async records(ids: string[], seqs: (string | null)[]): Promise<{ record: StoredRecord; seq: number }[]> {
    if (ids.length === 0) return [];
    const records = await this.redis.command.hmget(DIR.records, ...ids);
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
    for (const { record } of page) pipeline.smembers(DIR.sessionRooms(record.id));
    pipeline.hmget(DIR.activity, ...page.map(({ record }) => record.id));
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
