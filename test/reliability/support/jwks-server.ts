import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK } from 'jose';
import type { RsaSigner } from './rsa-tokens';

export interface JwksServer {
  url: string;
  /** Requests served so far. */
  hits: number;
  /** Replaces the published keys (key rotation). */
  publish(keys: { kid: string; signer: RsaSigner }[]): Promise<void>;
  /** While failing, every request gets a 500. */
  failing: boolean;
  close(): Promise<void>;
}

/** A JWKS endpoint on 127.0.0.1:0 that counts its requests, to prove the gateway does not hammer it. */
export async function startJwksServer(): Promise<JwksServer> {
  let body = '{"keys":[]}';
  const state = {
    url: '',
    hits: 0,
    failing: false,
    async publish(keys: { kid: string; signer: RsaSigner }[]) {
      const jwks = await Promise.all(keys.map(async ({ kid, signer }) => ({ ...(await exportJWK(signer.privateKey)), kid, alg: 'RS256', use: 'sig' })));
      // Only the public members: exportJWK of a private key includes d, p, q...
      body = JSON.stringify({ keys: jwks.map(({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use })) });
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  const server: Server = createServer((_req, res) => {
    state.hits++;
    if (state.failing) return res.writeHead(500).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return state;
}
