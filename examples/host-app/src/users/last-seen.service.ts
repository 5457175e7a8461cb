import { Injectable, OnModuleInit } from '@nestjs/common';
import { LifecycleEventsService } from 'realtime-gateway';

export interface LastSeen {
  userId: string;
  /** Sessions of the user open on this process. */
  openSessions: number;
  /** When the user's last session closed (ISO 8601); null if none closed since start. */
  lastSeen: string | null;
}

/** Keeps "last seen" from realtime-gateway's in-process lifecycle events (a database column in a real application). */
@Injectable()
export class LastSeenService implements OnModuleInit {
  private readonly open = new Map<string, number>();
  private readonly closedAt = new Map<string, number>();

  constructor(private readonly events: LifecycleEventsService) {}

  onModuleInit(): void {
    this.events.subscribe({
      connectionOpened: (session) => this.open.set(session.userId, (this.open.get(session.userId) ?? 0) + 1),
      connectionClosed: (session, _code, origin) => {
        // `origin` set: a session of another node, which died (cluster mode); it was never counted here.
        if (!origin) {
          const left = (this.open.get(session.userId) ?? 1) - 1;
          if (left > 0) this.open.set(session.userId, left);
          else this.open.delete(session.userId);
        }
        this.closedAt.set(session.userId, Date.now());
      },
    });
  }

  of(userId: string): LastSeen {
    const closedAt = this.closedAt.get(userId);
    return { userId, openSessions: this.open.get(userId) ?? 0, lastSeen: closedAt === undefined ? null : new Date(closedAt).toISOString() };
  }
}
