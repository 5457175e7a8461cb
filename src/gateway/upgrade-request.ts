import type { IncomingMessage } from 'node:http';

/** The client token: `Authorization: Bearer <jwt>`, else the `token` query parameter. */
export function extractToken(req: IncomingMessage): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return bearer ?? new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
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

/** The URL without its query string: query strings can hold tokens and must not be logged. */
export function redactUrl(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
