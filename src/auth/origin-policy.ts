/**
 * Decides whether a WebSocket upgrade's Origin is acceptable (the defence against cross-site
 * WebSocket hijacking). Allowed: exact origins and `scheme://*.domain` patterns from
 * ALLOWED_ORIGINS; the service's own host (the chat page it serves); and requests without an
 * Origin header (non-browser clients) unless ALLOW_NO_ORIGIN=false.
 */
export class OriginPolicy {
  private readonly exact = new Set<string>();
  private readonly wildcards: { scheme: string; suffix: string; port: string }[] = [];

  constructor(
    allowedOrigins: readonly string[],
    private readonly allowNoOrigin: boolean,
  ) {
    for (const entry of allowedOrigins) {
      const wildcard = /^([a-z][a-z0-9+.-]*):\/\/\*\.([^/:]+)(?::(\d+))?$/i.exec(entry);
      if (wildcard) {
        const scheme = wildcard[1].toLowerCase();
        this.wildcards.push({
          scheme,
          suffix: `.${wildcard[2].toLowerCase()}`,
          // As URL.port does, a scheme's default port (https:443) is written as ''.
          port: new URL(`${scheme}://host:${wildcard[3] ?? ''}`).port,
        });
      } else {
        const normalized = normalizeOrigin(entry);
        if (normalized) this.exact.add(normalized);
      }
    }
  }

  /** @param host the request's Host header, for same-origin requests from the served pages. */
  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return this.allowNoOrigin;
    const url = parseOrigin(origin);
    if (!url) return false;
    if (this.exact.has(url.origin)) return true;
    if (host !== undefined && url.host === host.toLowerCase()) return true;
    const scheme = url.protocol.slice(0, -1);
    return this.wildcards.some(
      (w) => w.scheme === scheme && w.port === url.port && url.hostname.endsWith(w.suffix) && url.hostname.length > w.suffix.length,
    );
  }
}

function parseOrigin(origin: string): URL | null {
  // An origin is scheme://host[:port] and nothing else; `null` and anything with a path are refused.
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s\\]+$/i.test(origin)) return null;
  try {
    return new URL(origin);
  } catch {
    return null;
  }
}

function normalizeOrigin(origin: string): string | null {
  return parseOrigin(origin)?.origin ?? null;
}
