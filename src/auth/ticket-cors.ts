import type { IncomingMessage } from 'node:http';
import type { CorsOptions, CorsOptionsDelegate } from 'cors';
import { AppConfig } from '../config';
import { OriginPolicy } from './origin-policy';

/** POST /auth/ticket, with the optional trailing slash Express routes accept. */
const TICKET_PATH = /^\/auth\/ticket\/?$/;

const TICKET_CORS: CorsOptions = {
  origin: true, // the request's Origin, once the policy allowed it; never `*`
  methods: ['POST'],
  allowedHeaders: ['Authorization', 'Content-Type'],
  maxAge: 600,
};

/**
 * CORS for POST /auth/ticket only, with the `cors` package (AuthModule applies it there): a page on an origin
 * the upgrade would accept (ALLOWED_ORIGINS, patterns included, or the service's own host) may send
 * its JWT in Authorization and read the ticket. Every other route, the admin API included, answers
 * no CORS header, so browsers keep other origins' pages out of it.
 */
export function ticketCors(config: AppConfig): CorsOptionsDelegate<IncomingMessage> {
  // A request without Origin needs no CORS answer, whatever ALLOW_NO_ORIGIN says about upgrades.
  const origins = new OriginPolicy(config.allowedOrigins, false);
  return (req, callback) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const allowed = TICKET_PATH.test(path) && origins.allows(req.headers.origin, req.headers.host);
    callback(null, allowed ? TICKET_CORS : { origin: false });
  };
}
