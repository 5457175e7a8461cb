import type { IncomingMessage } from 'node:http';

/** The client token: `Authorization: Bearer <jwt>` or the `token` query parameter. */
export function extractToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
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
