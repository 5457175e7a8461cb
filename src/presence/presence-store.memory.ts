import { PresenceMember } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { DirectoryTotals, NodeStatsSnapshot, LocalPresenceStore, RoomCountPage, SessionLocation, SessionQuery, SessionRecord, SessionRecordPage } from './presence-store';
import { sessionPage } from './session-page';

/** One node: the registry already knows everything; there is nothing to store. */
export class InMemoryPresenceStore implements LocalPresenceStore {
  readonly sharedAcrossNodes = false;

  constructor(
    private readonly registry: ConnectionRegistryService,
    private readonly nodeId: string,
  ) {}

  async connected(): Promise<void> {}
  async disconnected(): Promise<void> {}
  async joined(): Promise<void> {}
  async left(): Promise<void> {}

  async members(room: string): Promise<PresenceMember[]> {
    return [...this.registry.inRoom(room)].map((s) => ({ userId: s.userId, sessionId: s.id }));
  }

  async roomSize(room: string): Promise<number> {
    return this.registry.inRoom(room).size;
  }

  async countForUser(userId: string): Promise<number> {
    return this.registry.ofUser(userId).size;
  }

  async sessionCount(): Promise<number> {
    return this.registry.size;
  }

  async nodeOf(sessionId: string): Promise<string | undefined> {
    return this.registry.get(sessionId) ? this.nodeId : undefined;
  }

  async sessions({ user, room, node, afterSeq, limit }: SessionQuery): Promise<SessionRecordPage> {
    if (node !== undefined && node !== this.nodeId) return { sessions: [], next: null };
    const candidates = room ? this.registry.inRoom(room) : user ? this.registry.ofUser(user) : this.registry.all();
    const page = sessionPage(candidates, !room, (s) => user === undefined || s.userId === user, afterSeq, limit);
    return { sessions: page.sessions.map((s) => sessionRecord(s, this.nodeId)), next: page.next };
  }

  async session(id: string): Promise<SessionRecord | undefined> {
    const session = this.registry.get(id);
    return session && sessionRecord(session, this.nodeId);
  }

  async locate({ userId, jti }: { userId?: string; jti?: string }): Promise<SessionLocation[]> {
    const found: SessionLocation[] = [];
    for (const s of this.registry.all()) {
      if (s.userId === userId || (jti !== undefined && s.tokenId === jti)) found.push({ id: s.id, nodeId: this.nodeId });
    }
    return found;
  }

  async rooms(prefix: string, after: string, limit: number): Promise<RoomCountPage> {
    const names = [...this.registry.roomNames()].filter((room) => room > after && room.startsWith(prefix)).sort();
    const items = names.slice(0, limit).map((room) => ({ room, members: this.registry.inRoom(room).size }));
    return { items, next: names.length > limit ? items[items.length - 1].room : null };
  }

  async totals(): Promise<DirectoryTotals> {
    return { connections: this.registry.size, users: this.registry.userCount, rooms: this.registry.roomCount };
  }

  async nodeStats(): Promise<NodeStatsSnapshot[]> {
    return [];
  }
}

/** A live session as the directory describes it. */
export function sessionRecord(s: Session, nodeId: string): SessionRecord {
  return {
    id: s.id,
    userId: s.userId,
    nodeId,
    connectedAt: s.connectedAt,
    remoteAddress: s.remoteAddress,
    tokenId: s.tokenId,
    rooms: [...s.rooms].sort(),
    lastActivityAt: s.lastActivityAt,
    seq: s.seq,
  };
}
