import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { WebSocket } from 'ws';
import { APP_CONFIG, AppConfig } from '../config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { isMass, judgeSilence } from './silence-verdict';

/** A timer this late means the event loop stalled; peers get their reads processed first. */
export const STALL_TOLERANCE_MS = 50;
/** How often one sweep may be postponed (each time by at most HEARTBEAT_TIMEOUT_MS). */
export const MAX_POSTPONEMENTS = 4;

interface SweepRun {
  /** When the sweep was first due, and how late its timer fired the last time. */
  due: number;
  lateMs: number;
  postponed: number;
}

/**
 * One shared timer pings every session each HEARTBEAT_INTERVAL_MS; a session from which no byte
 * arrived within HEARTBEAT_TIMEOUT_MS of its oldest unanswered ping is terminated.
 *
 * A live peer must never be terminated for the server's own slowness:
 * - Liveness is any inbound data (the peer socket's byte count moved: `heard`), not only pongs.
 * - The decision is taken only after pending socket reads have been processed, twice: the sweep
 *   timer (timers phase, which runs before the poll phase reads pending I/O) only schedules a
 *   setImmediate; that one, after a poll phase, picks the suspects; they are terminated one more
 *   poll phase later if still silent (what arrived while the loop was busy is read first).
 * - A sweep that runs late at any of these steps (the event loop stalled, maybe the whole machine
 *   and its co-located clients with it), or that finds many peers gone silent at the same ping
 *   round, is postponed: those peers get a new window. At most MAX_POSTPONEMENTS times per sweep,
 *   and never past a peer's grace (see judgeSilence), so dead peers are still terminated on time
 *   under sustained load and while a mass silence is being waited out. A new
 *   ping never cancels a pending sweep, and each session keeps the deadline of its oldest
 *   unanswered ping: a round pinged between a sweep's timer and its check is no one's deadline
 *   yet (finding F5: that check used to terminate every peer it had just pinged).
 * Each sweep that terminates or spares a suspect is logged with its figures (see `terminate`).
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private interval?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private sweepPending = false;
  private stopped = false;
  private readonly roundListeners: ((startedAt: number) => void)[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistryService,
    private readonly metrics: GatewayMetrics,
    @InjectPinoLogger(HeartbeatService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Whether anything (any frame, a pong, or part of one) was read from the peer's socket since the
   * last check; if so the peer is alive: its unanswered ping is cleared. Reading the socket's byte
   * count when the heartbeat checks, instead of a `data` listener marking every read, costs no
   * listener per connection and nothing per read, and sees the same reads: those Node has taken
   * from the kernel by the time of the check.
   */
  static heard(session: Session, now: number): boolean {
    const read = session.peer?.bytesRead ?? 0;
    if (read === session.readMark) return false;
    session.readMark = read;
    session.awaitingPongSince = 0;
    session.lastReadAt = now;
    return true;
  }

  /**
   * Calls `listener` synchronously at the end of every ping round, with the time the round began,
   * once every session has been pinged and before the round's sweep is scheduled: a listener that
   * blocks makes the round itself slow. The seam the heartbeat tests drive timing races through
   * (a stall or a stopped client right after a round); it must not throw.
   */
  onPingRound(listener: (startedAt: number) => void): void {
    this.roundListeners.push(listener);
  }

  onApplicationBootstrap(): void {
    this.interval = setInterval(() => this.pingAll(), this.config.heartbeatIntervalMs);
    this.interval.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.sweepTimer);
  }

  private pingAll(): void {
    const now = Date.now();
    // The send time as payload (echoed in the pong): lets a client or a capture measure the delay.
    const payload = Buffer.from(String(now));
    for (const session of this.registry.all()) {
      if (session.closing) continue;
      // Data read since the last check answered the earlier pings: the deadline starts at this one.
      HeartbeatService.heard(session, now);
      if (session.awaitingPongSince === 0) session.awaitingPongSince = now;
      session.socket.ping(payload);
    }
    for (const listener of this.roundListeners) listener(now);
    if (!this.sweepPending) {
      this.sweepPending = true;
      const due = now + this.config.heartbeatTimeoutMs;
      this.scheduleSweep({ due, lateMs: 0, postponed: 0 }, due);
    }
  }

  private scheduleSweep(run: SweepRun, at: number): void {
    this.sweepTimer = setTimeout(() => {
      const now = Date.now();
      run.lateMs = now - at;
      if (run.lateMs > STALL_TOLERANCE_MS && this.postpone(run, run.lateMs, now)) return;
      // After this poll phase has read whatever the peers sent.
      setImmediate(() => this.sweep(run, now));
    }, at - Date.now());
    this.sweepTimer.unref();
  }

  /**
   * Gives every peer a new window of min(stall, timeout) after a stall, as long as this sweep has
   * been postponed fewer than MAX_POSTPONEMENTS times (so dead peers still go under sustained load).
   */
  private postpone(run: SweepRun, stallMs: number, now: number): boolean {
    if (run.postponed >= MAX_POSTPONEMENTS) return false;
    run.postponed++;
    this.sweepPending = true;
    this.scheduleSweep(run, now + Math.min(Math.max(stallMs, STALL_TOLERANCE_MS), this.config.heartbeatTimeoutMs));
    return true;
  }

  /** Picks the sessions past their deadline; terminates those still silent one poll phase later. */
  private sweep(run: SweepRun, firedAt: number): void {
    if (this.stopped) return;
    this.sweepPending = false;
    const now = Date.now();
    // The loop stalled between the timer and this check (in the poll phase): a stall, like a late timer.
    if (now - firedAt > STALL_TOLERANCE_MS && this.postpone(run, now - firedAt, now)) return;
    const timeout = this.config.heartbeatTimeoutMs;
    const suspects: Session[] = [];
    let checked = 0;
    let nextDue = Infinity;
    for (const session of this.registry.all()) {
      if (session.closing) continue;
      checked++;
      if (session.awaitingPongSince === 0 || HeartbeatService.heard(session, now)) continue;
      if (now - session.awaitingPongSince >= timeout) suspects.push(session);
      else nextDue = Math.min(nextDue, session.awaitingPongSince + timeout);
    }
    // A round pinged while this sweep was queued found it pending and scheduled none: its own.
    if (nextDue !== Infinity && !this.sweepPending) {
      this.sweepPending = true;
      this.scheduleSweep({ due: nextDue, lateMs: 0, postponed: 0 }, nextDue);
    }
    if (suspects.length === 0) return;
    setImmediate(() => this.terminate(suspects, run, checked, now));
  }

  private terminate(suspects: Session[], run: SweepRun, checked: number, sweptAt: number): void {
    if (this.stopped) return;
    const now = Date.now();
    // Closed meanwhile (by the peer or the server): nothing to decide. Answered meanwhile: spared.
    const open = suspects.filter((s) => !s.closing && s.socket.readyState === WebSocket.OPEN);
    const silent = open.filter((s) => s.awaitingPongSince !== 0 && !HeartbeatService.heard(s, now));
    const spared = open.length - silent.length;
    const stallMs = now - sweptAt;
    const verdict = judgeSilence(silent, checked, now, this.config.heartbeatTimeoutMs, stallMs > STALL_TOLERANCE_MS);
    let doomed = verdict.terminate;
    if (verdict.spare.length > 0) {
      // A sweep already pending meanwhile decides for the spared peers too.
      const revisited = this.sweepPending || this.postpone(run, verdict.mass ? this.config.heartbeatTimeoutMs : stallMs, now);
      if (!revisited) doomed = silent;
      else if (verdict.mass) this.logger.warn({ checked, silent: silent.length, postponedPeers: verdict.spare.length, spared, postponed: run.postponed, extraPollMs: stallMs }, 'heartbeat sweep: many peers silent, postponed');
    }
    const terminated = doomed.length;
    let minSilentMs = Infinity;
    let maxSilentMs = 0;
    for (const session of doomed) {
      const silentMs = now - session.lastReadAt;
      minSilentMs = Math.min(minSilentMs, silentMs);
      maxSilentMs = Math.max(maxSilentMs, silentMs);
      session.closing = true;
      this.metrics.heartbeatTerminations.value++;
      this.logger.info(
        { sessionId: session.id, userId: session.userId, sincePingMs: now - session.awaitingPongSince, sinceLastReadMs: silentMs },
        'heartbeat timeout: terminating',
      );
      session.socket.terminate();
    }
    if (terminated === 0 && spared === 0) return;
    const figures = {
      checked,
      terminated,
      // Suspects whose data was read by the extra poll phase: they would have been killed without it.
      spared,
      sweepLateMs: run.lateMs,
      postponed: run.postponed,
      extraPollMs: stallMs,
      sinceLastReadMs: terminated ? [minSilentMs, maxSilentMs] : undefined,
    };
    if (isMass(terminated, checked) || isMass(spared, checked)) this.logger.warn(figures, 'heartbeat sweep: many peers silent');
    else this.logger.info(figures, 'heartbeat sweep');
  }
}
