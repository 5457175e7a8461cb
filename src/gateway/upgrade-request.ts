import type { IncomingMessage } from 'node:http';

/** The application's WebSocket subprotocol; the server selects it in the 101 when offered. */
export const APP_PROTOCOL = 'realtime.v1';
const BEARER_PROTOCOL = 'bearer.';

/** What the client presented to authenticate, from the first position that holds something. */
export type Credential =
  | { kind: 'token'; token: string }
  | { kind: 'ticket'; ticket: string }
  | { kind: 'none' }
  /** A bearer subprotocol without APP_PROTOCOL: the server could select nothing a browser would accept. */
  | { kind: 'bad-protocol' };

/**
 * In order: `Authorization: Bearer <jwt>`; `Sec-WebSocket-Protocol: realtime.v1, bearer.<jwt>`
 * (browsers cannot set headers, but can list subprotocols); `?ticket=` (single-use, from POST
 * /auth/ticket); `?token=<jwt>` (ends up in proxy logs: keep those tokens short-lived).
 */
export function extractCredential(req: IncomingMessage): Credential {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) return { kind: 'token', token: bearer };
  const protocols = offeredProtocols(req);
  const fromProtocol = protocols.find((p) => p.startsWith(BEARER_PROTOCOL));
  if (fromProtocol !== undefined) {
    if (!protocols.includes(APP_PROTOCOL)) return { kind: 'bad-protocol' };
    return { kind: 'token', token: fromProtocol.slice(BEARER_PROTOCOL.length) };
  }
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const ticket = query.get('ticket');
  if (ticket) return { kind: 'ticket', ticket };
  const token = query.get('token');
  return token ? { kind: 'token', token } : { kind: 'none' };
}

/** The client token from the header, subprotocol or `?token=` (not tickets: they need the store). */
export function extractToken(req: IncomingMessage): string | undefined {
  const credential = extractCredential(req);
  return credential.kind === 'token' ? credential.token : undefined;
}

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return typeof header === 'string' ? header.split(',').map((p) => p.trim()) : [];
}

/**
 * ws `handleProtocols`: select APP_PROTOCOL, never anything else. Without it ws echoes the first
 * offered protocol, which would send a `bearer.<jwt>` back in the 101 (and into any log of it).
 */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(APP_PROTOCOL) ? APP_PROTOCOL : false;
}

/** The page origin; clients of the old protocol version 8 send it as Sec-WebSocket-Origin. */
export function extractOrigin(req: IncomingMessage): string | undefined {
  const legacy = req.headers['sec-websocket-origin'];
  return req.headers.origin ?? (typeof legacy === 'string' ? legacy : undefined);
}

/**
 * The client's address. Behind a trusted proxy (TRUST_PROXY=true) it is the last X-Forwarded-For
 * entry: the address our proxy saw, which a client cannot forge.
 */
export function remoteAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    const last = forwarded.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
