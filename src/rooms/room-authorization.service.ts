import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { LifecycleEventsService, LifecycleListener, LifecycleSession } from '../lifecycle/lifecycle-events.service';
import { LogLimiter } from '../logging/log-limiter';
import { MessageError } from '../messaging/message-error';
import { ErrorCode } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { assertRoomAccess } from './room-access';
import { ROOM_AUTHORIZATION, RoomAuthorization, RoomAuthorizer } from './room-authorizer';

/**
 * Answers kept per session and question (canJoin, canPublish). Past this many the oldest goes:
 * the next check of that room asks the authorizer again. 50 frames/s for the default 10 s of
 * caching is 500 rooms, so only a client that sweeps rooms reaches it.
 */
export const MAX_ANSWERS_PER_SESSION = 256;

/** One answer of the authorizer for one session and room, or the call still asking it. */
interface Answer {
  allowed: boolean;
  expiresAt: number;
  /** Set while the authorizer is being asked: identical checks meanwhile share the call. */
  pending: Promise<boolean> | undefined;
}

/** One session's answers, by room: canJoin's, and canPublish's (empty without canPublish). */
interface SessionAnswers {
  join: Map<string, Answer>;
  publish: Map<string, Answer>;
}

type Failure = 'threw' | 'timed out';

const notAuthorized = () => new MessageError(ErrorCode.Forbidden, 'not authorized for this room');

/**
 * Whether a session may use a room: the token's room patterns, and the host's RoomAuthorizer when
 * one is configured (ROOM_AUTHORIZATION; see RoomAuthorization for the rule). An answer already
 * known is given synchronously; only a call to the authorizer returns a promise, which refuses
 * after `timeoutMs`. Answers, yes and no, are kept `cacheMs` per session and room, at most
 * MAX_ANSWERS_PER_SESSION per question, and dropped when the session closes. A throw or a time-out
 * refuses and is logged once, within the LogLimiter's budget of its kind (not per session: a
 * failing database must not flood the log from every session).
 */
@Injectable()
export class RoomAuthorizationService implements OnModuleInit, LifecycleListener {
  private readonly authorizer: RoomAuthorizer | undefined;
  /** Whether the token's patterns are checked: always, unless an authorizer replaces them. */
  private readonly tokenDecides: boolean;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly answers = new WeakMap<object, SessionAnswers>();
  /** One LogLimiter budget per kind of failure. */
  private readonly logSources: Record<Failure, object> = { threw: {}, 'timed out': {} };

  constructor(
    @Optional() @Inject(ROOM_AUTHORIZATION) authorization: RoomAuthorization | undefined,
    private readonly registry: ConnectionRegistryService,
    private readonly lifecycle: LifecycleEventsService,
    private readonly limiter: LogLimiter,
    @InjectPinoLogger(RoomAuthorizationService.name) private readonly logger: PinoLogger,
  ) {
    this.authorizer = authorization?.authorizer;
    this.tokenDecides = !this.authorizer || !authorization?.replacesToken;
    this.timeoutMs = authorization?.timeoutMs ?? 0;
    this.cacheMs = authorization?.cacheMs ?? 0;
  }

  onModuleInit(): void {
    if (this.authorizer) this.lifecycle.subscribe(this);
  }

  connectionClosed(session: LifecycleSession): void {
    this.answers.delete(session);
  }

  /**
   * room.join, presence.get, room.history: undefined when allowed now, a promise while the
   * authorizer is asked (rejects with FORBIDDEN); throws FORBIDDEN when refused now.
   */
  assertJoin(session: Session, room: string): Promise<void> | undefined {
    return this.authorize(session, room, false);
  }

  /** room.publish: canPublish when the authorizer has it, else canJoin (and its answers). */
  assertPublish(session: Session, room: string): Promise<void> | undefined {
    return this.authorize(session, room, this.authorizer?.canPublish !== undefined);
  }

  private authorize(session: Session, room: string, publish: boolean): Promise<void> | undefined {
    if (this.tokenDecides) assertRoomAccess(session, room);
    if (!this.authorizer) return undefined;
    const answer = this.answer(session, room, publish);
    if (answer === true) return undefined;
    if (answer === false) throw notAuthorized();
    return answer.then((allowed) => {
      if (!allowed) throw notAuthorized();
      // Closed while the authorizer decided: nothing is done for it (a join would outlive the socket).
      if (this.registry.get(session.id) !== session) throw new MessageError(ErrorCode.Forbidden, 'the connection closed');
    });
  }

  private answer(session: Session, room: string, publish: boolean): boolean | Promise<boolean> {
    let answers = this.answers.get(session);
    if (!answers) this.answers.set(session, (answers = { join: new Map(), publish: new Map() }));
    const cache = publish ? answers.publish : answers.join;
    const known = cache.get(room);
    if (known) {
      if (known.pending) return known.pending;
      if (known.expiresAt > Date.now()) return known.allowed;
      cache.delete(room);
    }
    return this.ask(session, room, publish, cache);
  }

  private ask(session: Session, room: string, publish: boolean, cache: Map<string, Answer>): boolean | Promise<boolean> {
    const authorizer = this.authorizer!;
    let reply: unknown;
    try {
      reply = publish ? authorizer.canPublish!(session, room) : authorizer.canJoin(session, room);
    } catch (err) {
      this.failed('threw', session, room, publish, err);
      return false;
    }
    if (!isThenable(reply)) {
      const allowed = reply === true;
      if (this.cacheMs > 0) keep(cache, room, { allowed, expiresAt: Date.now() + this.cacheMs, pending: undefined });
      return allowed;
    }
    const answer: Answer = { allowed: false, expiresAt: 0, pending: undefined };
    answer.pending = this.settle(reply, answer, cache, session, room, publish);
    keep(cache, room, answer);
    return answer.pending;
  }

  /** The authorizer's promise, or false after timeoutMs; a late answer is dropped, a late rejection swallowed. */
  private settle(reply: PromiseLike<unknown>, answer: Answer, cache: Map<string, Answer>, session: Session, room: string, publish: boolean): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const finish = (allowed: boolean, failure?: Failure, err?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        answer.pending = undefined;
        // A failure is not kept: the next check asks again.
        if (failure || this.cacheMs <= 0) {
          if (cache.get(room) === answer) cache.delete(room);
        } else {
          answer.allowed = allowed;
          answer.expiresAt = Date.now() + this.cacheMs;
        }
        if (failure) this.failed(failure, session, room, publish, err);
        resolve(allowed);
      };
      const timer = setTimeout(() => finish(false, 'timed out'), this.timeoutMs);
      timer.unref();
      Promise.resolve(reply).then(
        (value) => finish(value === true),
        (err: unknown) => finish(false, 'threw', err),
      );
    });
  }

  private failed(failure: Failure, session: Session, room: string, publish: boolean, err: unknown): void {
    const suppressed = this.limiter.admit(this.logSources[failure]);
    if (suppressed === undefined) return;
    const check = publish ? 'canPublish' : 'canJoin';
    const line = { err, sessionId: session.id, userId: session.userId, room, check, timeoutMs: this.timeoutMs, suppressed };
    const message = `room authorizer ${failure}: refused with FORBIDDEN`;
    if (failure === 'threw') this.logger.error(line, message);
    else this.logger.warn(line, message);
  }
}

/** Adds an answer; past the bound the oldest goes (insertion order is expiry order, near enough). */
function keep(cache: Map<string, Answer>, room: string, answer: Answer): void {
  if (cache.size >= MAX_ANSWERS_PER_SESSION) cache.delete(cache.keys().next().value!);
  cache.set(room, answer);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
