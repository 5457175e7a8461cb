import { createHmac } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { JWKS_OPTIONS } from '../../src/auth/jwks-keys';
import { TokenVerifier } from '../../src/auth/token-verifier';
import { loadConfig } from '../../src/config';
import { serversPerTest } from '../support/test-app';
import { connect, tryUpgrade } from '../support/ws-client';
import { JwksServer, startJwksServer } from './support/jwks-server';
import { rsaSigner } from './support/rsa-tokens';

/** JWT_JWKS_URL: keys by kid from a local JWKS server, cached, refetched on rotation, never hammered. */
const keyA = rsaSigner('key-a');
const keyB = rsaSigner('key-b');
let jwks: JwksServer;
const startServer = serversPerTest();

beforeEach(async () => {
  jwks = await startJwksServer();
  await jwks.publish([{ kid: 'key-a', signer: keyA }]);
});
afterEach(() => jwks.close());

const env = () => ({ JWT_SECRET: '', JWT_JWKS_URL: jwks.url, JWT_ISSUER: '', JWT_AUDIENCE: '' });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const verdict = (verifier: TokenVerifier, token: string) => verifier.verify(token).then((i) => i.userId, (e: Error) => e.message);

it('accepts a token whose kid is published; 50 unknown kids get 401 and cost at most one refetch', async () => {
  const server = await startServer(env());
  expect((await tryUpgrade(server.wsUrl, bearer(await keyA.sign({ iss: undefined, aud: undefined })))).status).toBe(101);
  expect(jwks.hits).toBe(1);
  const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => tryUpgrade(server.wsUrl, bearer(await keyB.sign({}, { kid: `kid-${i}` })))));
  expect(new Set(results.map((r) => `${r.status} ${r.body}`))).toEqual(new Set(['401 token invalid']));
  expect(jwks.hits).toBeLessThanOrEqual(2);
});

it('refuses an HS256 token "signed" with a published key (JWKS means asymmetric only)', async () => {
  const server = await startServer(env());
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'HS256', kid: 'key-a' })}.${b64({ sub: 'mallory', exp: Math.floor(Date.now() / 1000) + 60 })}`;
  const forged = `${input}.${createHmac('sha256', keyA.publicKeyPem).update(input).digest('base64url')}`;
  expect(await tryUpgrade(server.wsUrl, bearer(forged))).toEqual({ status: 401, body: 'token invalid' });
});

it('answers 503 while the JWKS endpoint fails, and backs off instead of fetching per upgrade', async () => {
  jwks.failing = true;
  const server = await startServer(env());
  const token = await keyA.sign({ iss: undefined, aud: undefined });
  const results = await Promise.all(Array.from({ length: 20 }, () => tryUpgrade(server.wsUrl, bearer(token))));
  expect(new Set(results.map((r) => `${r.status} ${r.body}`))).toEqual(new Set(['503 token keys unavailable']));
  expect(jwks.hits).toBe(1);
});

it('rotates keys by kid: a new kid is fetched after the cooldown, a withdrawn one stops working', async () => {
  const verifier = new TokenVerifier(loadConfig({ NODE_ENV: 'test', JWT_JWKS_URL: jwks.url }), { cooldownDuration: 300 });
  const tokenA = await keyA.sign({ iss: undefined, aud: undefined });
  const tokenB = await keyB.sign({ iss: undefined, aud: undefined });
  expect(await verdict(verifier, tokenA)).toBe('alice');
  await jwks.publish([{ kid: 'key-b', signer: keyB }]);
  // Within the cooldown an unknown kid is refused without a refetch.
  expect(await verdict(verifier, tokenB)).toBe('token invalid');
  expect(jwks.hits).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 350));
  expect(await verdict(verifier, tokenB)).toBe('alice');
  expect(jwks.hits).toBe(2);
  expect(await verdict(verifier, tokenA)).toBe('token invalid');
});

/** No refetch cooldown: a token with an unknown kid makes the server read the endpoint again. */
@Global()
@Module({ providers: [{ provide: JWKS_OPTIONS, useValue: { cooldownDuration: 0 } }], exports: [JWKS_OPTIONS] })
class RefetchAtOnce {}

it('answers auth.refresh with UNAVAILABLE (retry later) while the JWKS endpoint fails; the connection stays', async () => {
  const server = await startServer(env(), [RefetchAtOnce]);
  const client = await connect(server.wsUrl, { token: await keyA.sign({ iss: undefined, aud: undefined }) });
  jwks.failing = true;
  const rotated = await keyB.sign({ iss: undefined, aud: undefined });
  expect(await client.request('auth.refresh', { token: rotated })).toMatchObject({ type: 'error', data: { code: 'UNAVAILABLE', message: 'token keys unavailable' } });
  expect(jwks.hits).toBe(2);
  expect(await client.request('ping')).toMatchObject({ type: 'pong' });
  await client.close();
});
