import type { PerMessageDeflateOptions } from 'ws';

/**
 * permessage-deflate (RFC 7692) with WS_COMPRESSION=on, negotiated with each client that offers
 * it (browsers do; the `ws` package does by default). Chosen so that its memory per connection
 * stays small and bounded, whatever the traffic:
 * - no context takeover, either way: each message is compressed on its own, so no sliding window
 *   is kept between messages (it costs ratio on small similar messages, and saves a window per
 *   connection);
 * - the server's deflate uses 1 KiB windows (window bits 10) and zlib memLevel 4: about 4 + 8 KiB
 *   of zlib state per connection it compresses for. The client's window is the client's choice
 *   (`client_max_window_bits` is not imposed: ws would refuse the upgrade of a client that did not
 *   offer it), so inflating a client's compressed messages takes up to 32 + 7 KiB per connection
 *   that sends them;
 * - frames under `threshold` are sent as they are: below about 1 KiB of JSON the deflate header
 *   and the CPU cost more than they save;
 * - ws's `concurrencyLimit` (10 zlib jobs at once per process) bounds the CPU burst.
 * Fan-out writes a compressing member's frames through ws (compressed per member), not the
 * shared pre-built frame: docs/performance.md has the cost.
 */
export const COMPRESSION: PerMessageDeflateOptions = {
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  serverMaxWindowBits: 10,
  zlibDeflateOptions: { level: 1, memLevel: 4 },
  threshold: 1024,
  concurrencyLimit: 10,
};
