import type { Session } from '../registry/session';

export interface SessionPage {
  sessions: Session[];
  /** The `seq` to continue after, or null on the last page. */
  next: number | null;
}

/**
 * One page of the sessions in `candidates` that pass `accept`, in registration order (`seq`),
 * after `afterSeq`. A cursor is a seq, not a position: sessions that come or go between two calls
 * never shift the pages. `ordered` candidates (the registry, a user's set) allow stopping early;
 * a room's set is in join order and is sorted.
 */
export function sessionPage(candidates: Iterable<Session>, ordered: boolean, accept: (s: Session) => boolean, afterSeq: number, limit: number): SessionPage {
  const matches: Session[] = [];
  for (const session of candidates) {
    if (session.seq <= afterSeq || !accept(session)) continue;
    matches.push(session);
    if (ordered && matches.length > limit) break;
  }
  if (!ordered) matches.sort((a, b) => a.seq - b.seq);
  const sessions = matches.slice(0, limit);
  return { sessions, next: matches.length > limit ? sessions[sessions.length - 1].seq : null };
}
