import type { WebSocket } from 'ws';
import type { RoomPermissions } from '../auth/room-permissions';
import type { SessionInfo } from './session-info';
import type { TokenBucket } from './token-bucket';

const EMPTY_CLAIMS = Object.freeze({});
const UNLIMITED = Object.freeze({ take: () => true });

/** A live frame held back during a room's recovery; `offset` is absent for non-message frames. */
export interface PendingFrame {
  offset?: number;
  frame: Buffer;
}

/** One live WebSocket connection and what the server knows about it. */
export class Session implements SessionInfo {
  readonly rooms = new Set<string>();
  /** Send time of the oldest heartbeat ping not answered yet (0: none); cleared by any inbound data. */
  awaitingPongSince = 0;
  /**
   * The TCP socket ws reads from: its `bytesRead` is how the heartbeat learns that anything arrived
   * (set at connect; null in tests that build a Session by hand).
   */
  peer: { readonly bytesRead: number } | null = null;
  /** The peer's `bytesRead` when the heartbeat last looked (see HeartbeatService.heard). */
  readMark = 0;
  /** When the heartbeat last noticed data read from the peer's socket, at most one check after it was read (diagnostics). */
  lastReadAt: number;
  /** Last time a message was handled (set by the activity interceptor). */
  lastActivityAt: number;
  /** Set once the server has started closing this socket, so it is closed only once. */
  closing = false;
  /** Live frames of rooms being recovered, held until their replay is written (see RoomRecovery). */
  recovering?: Map<string, PendingFrame[]>;
  /**
   * Per room, the offset a join already gave this session while the node's bus had not yet
   * delivered up to it: live frames up to it are skipped, once, instead of repeated (see RoomRecovery).
   */
  joinedAhead?: Map<string, number>;
  /** The position of the user's stream the welcome announced (undefined: not read yet, or the store failed). */
  userStream?: { offset: number; epoch: string };
  /** Registration order on this node, set by ConnectionRegistryService.add: the admin API pages by it. */
  seq = 0;
  /** The token's `jti`, if it had one: the admin API revokes tokens by it. */
  tokenId?: string;
  /** The verified token's payload (SessionInfo.claims); set at connect and by auth.refresh. */
  claims: Readonly<Record<string, unknown>> = EMPTY_CLAIMS;
  /** The user's share of the per-user rate limit on this node (src/ratelimit/), shared by the user's sessions here; set at connect. */
  userRateLimit: { take(now: number): boolean } = UNLIMITED;

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly socket: WebSocket,
    readonly permissions: RoomPermissions,
    readonly rateLimit: TokenBucket,
    readonly remoteAddress: string,
    /** Token expiry, seconds since the epoch. */
    public tokenExp: number,
    readonly connectedAt = Date.now(),
  ) {
    this.lastActivityAt = connectedAt;
    this.lastReadAt = connectedAt;
  }
}
