/**
 * What a handler, a guard, the room authorizer and a lifecycle listener see of a session. Part of
 * the public API (semver applies): a Session implements it, and nothing else of a Session is public.
 */
export interface SessionInfo {
  /** Unique per connection (a UUID); the `sessionId` of the welcome frame. */
  readonly id: string;
  /** The token's `sub`. */
  readonly userId: string;
  /** The verified JWT payload, custom claims included; replaced by a successful `auth.refresh`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The rooms the session has joined. */
  readonly rooms: ReadonlySet<string>;
  /** The peer's address (the first X-Forwarded-For hop when TRUST_PROXY is set). */
  readonly remoteAddress: string;
  /** When the connection opened, milliseconds since the epoch. */
  readonly connectedAt: number;
}
