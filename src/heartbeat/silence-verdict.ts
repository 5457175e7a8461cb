/**
 * How many timeouts past its deadline a silent peer may still be spared, for a stall or a mass
 * silence. Past that it is terminated whatever else happens: a steady trickle of dead peers
 * (phones leaving coverage, a NAT dropping state) must never pile up against the per-address and
 * per-user connection limits, however often sweeps are postponed.
 */
export const MAX_GRACE_TIMEOUTS = 4;

/** A sweep with at least this many silent peers of one ping round, and a tenth of those checked, is a mass silence. */
export const MASS_SILENCE_MIN_PEERS = 10;

export interface SilentPeer {
  /** When the oldest ping this peer has not answered was sent (the same for every peer of one round). */
  awaitingPongSince: number;
}

export interface SilenceVerdict<T> {
  terminate: T[];
  /** Spared for now: the sweep must be repeated for them (they terminate at the latest at their grace's end). */
  spare: T[];
  /** Some were spared for a mass silence (not only for a stall). */
  mass: boolean;
}

/** Is `silent` peers out of `checked` a mass silence? */
export const isMass = (silent: number, checked: number) => silent >= MASS_SILENCE_MIN_PEERS && silent * 10 >= checked;

/**
 * Decides the fate of peers found silent past their deadline.
 *
 * Many peers going silent at once is rarely many peers dying: a partition, or this machine starved
 * (its clients too, in tests). Such peers went silent at the same ping round, so a mass silence is
 * counted per round: a trickle of dead peers spread over many rounds (several rounds' worth after
 * a postponed sweep) never adds up to one, so postponing cannot feed itself. A peer of a mass
 * silence, or any peer when the server stalled while deciding (`stalled`: its reads may be pending),
 * is spared until MAX_GRACE_TIMEOUTS timeouts past its deadline.
 */
export function judgeSilence<T extends SilentPeer>(silent: readonly T[], checked: number, now: number, timeoutMs: number, stalled: boolean): SilenceVerdict<T> {
  const graceEnd = (peer: T) => peer.awaitingPongSince + timeoutMs * (1 + MAX_GRACE_TIMEOUTS);
  const inGrace = silent.filter((peer) => now < graceEnd(peer));
  const perRound = new Map<number, number>();
  for (const peer of inGrace) perRound.set(peer.awaitingPongSince, (perRound.get(peer.awaitingPongSince) ?? 0) + 1);
  const massRounds = new Set([...perRound].filter(([, count]) => isMass(count, checked)).map(([round]) => round));
  const spared = new Set(stalled ? inGrace : inGrace.filter((peer) => massRounds.has(peer.awaitingPongSince)));
  return { terminate: silent.filter((peer) => !spared.has(peer)), spare: [...spared], mass: massRounds.size > 0 };
}
