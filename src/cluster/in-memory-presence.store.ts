import { PresenceMember } from '../protocol';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { PresenceStore } from './presence-store';

/** One node: the registry already knows everything; there is nothing to store. */
export class InMemoryPresenceStore implements PresenceStore {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly nodeId: string,
  ) {}

  async connected(): Promise<void> {}
  async disconnected(): Promise<void> {}
  async joined(): Promise<void> {}
  async left(): Promise<void> {}

  async members(room: string): Promise<PresenceMember[]> {
    return [...this.registry.inRoom(room)].map((s) => ({ userId: s.userId, sessionId: s.id }));
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
}
