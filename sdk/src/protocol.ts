/**
 * The wire protocol, taken from the server's single source of truth (src/protocol). Only the
 * browser-safe modules are imported, never src/protocol/index.ts: it also exports server code
 * (encodeFrame uses Node's Buffer) that must not reach the bundles.
 */
export * from '../../src/protocol/close-codes';
export * from '../../src/protocol/error-codes';
export * from '../../src/protocol/envelope';
export * from '../../src/protocol/messages';
