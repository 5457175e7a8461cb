/**
 * The URL to open: `url` (absolute, or relative to the page in a browser; http(s) becomes ws(s))
 * with the token in the `token` query parameter, replacing any token already there.
 */
export function connectionUrl(url: string, token: string | undefined): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const parsed = base === undefined ? new URL(url) : new URL(url, base);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (token !== undefined) parsed.searchParams.set('token', token);
  return parsed.toString();
}

/** UTF-8 length of a string, without allocating when it is obviously small enough. */
export function fitsInBytes(text: string, maxBytes: number): boolean {
  if (text.length * 3 <= maxBytes) return true;
  if (text.length > maxBytes) return false;
  return new TextEncoder().encode(text).length <= maxBytes;
}
