import { adminClient } from '../support/admin-client';
import { serversPerTest } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, tryUpgrade } from '../support/ws-client';
import { waitFor } from '../support/wait-for';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The refusals at the upgrade rely on UpgradeVerifierService calling RevokedTokens.isRevoked after the
 * token verifies (see docs/admin-api.md).
 */
describe('admin API: token revocation', () => {
  const start = serversPerTest();
  const soon = (ms: number) => new Date(Date.now() + ms).toISOString();

  it('revokes a user: live sessions close with 4503, and every token of theirs is refused until `until`', async () => {
    const server = await start();
    const api = adminClient(server.httpUrl);
    const token = await mintToken({ sub: 'mallory' });
    const sessions = [await connect(server.wsUrl, { token }), await connect(server.wsUrl, { token: await mintToken({ sub: 'mallory' }) })];
    const bob = await connect(server.wsUrl, { token: await mintToken({ sub: 'bob' }) });
    const until = soon(1500);
    const response = await api('/admin/revocations', { method: 'POST', json: { userId: 'mallory', until } });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ userId: 'mallory', until, closed: 2 });
    for (const session of sessions) expect(await session.closed).toEqual({ code: 4503, reason: 'kicked by an administrator' });
    expect(bob.socket.readyState).toBe(bob.socket.OPEN);
    const upgrade = (t: string) => tryUpgrade(server.wsUrl, { authorization: `Bearer ${t}` });
    expect(await upgrade(token)).toEqual({ status: 401, body: 'token revoked' });
    expect(await upgrade(await mintToken({ sub: 'mallory' }))).toEqual({ status: 401, body: 'token revoked' });
    expect((await upgrade(await mintToken({ sub: 'bob' }))).status).toBe(101);
    expect(await (await api('/admin/revocations')).json()).toEqual([{ userId: 'mallory', until }]);
    await waitFor(() => Date.now() > Date.parse(until), 3000);
    expect((await upgrade(token)).status).toBe(101);
    expect(await (await api('/admin/revocations')).json()).toEqual([]);
    await bob.close();
  });

  it('revokes one token by its jti: only its sessions close, the user\'s other tokens still connect', async () => {
    const server = await start();
    const api = adminClient(server.httpUrl);
    const stolen = await mintToken({ sub: 'alice', jti: 'token-42' });
    const other = await mintToken({ sub: 'alice', jti: 'token-43' });
    const onStolen = await connect(server.wsUrl, { token: stolen });
    const onOther = await connect(server.wsUrl, { token: other });
    const response = await api('/admin/revocations', { method: 'POST', json: { jti: 'token-42', until: soon(60_000) } });
    expect(await response.json()).toMatchObject({ jti: 'token-42', closed: 1 });
    expect((await onStolen.closed).code).toBe(4503);
    expect(onOther.socket.readyState).toBe(onOther.socket.OPEN);
    expect(await tryUpgrade(server.wsUrl, { authorization: `Bearer ${stolen}` })).toEqual({ status: 401, body: 'token revoked' });
    expect((await tryUpgrade(server.wsUrl, { authorization: `Bearer ${other}` })).status).toBe(101);
    await onOther.close();
  });

  it('refuses a revoked admin JWT on the admin API', async () => {
    const server = await start({ ADMIN_ROLE_CLAIM: 'roles' });
    const api = adminClient(server.httpUrl);
    const adminJwt = await mintToken({ sub: 'ops', roles: ['admin'], jti: 'ops-laptop' });
    expect((await api('/admin/stats', { token: adminJwt })).status).toBe(200);
    await api('/admin/revocations', { method: 'POST', json: { jti: 'ops-laptop', until: soon(60_000) } });
    expect((await api('/admin/stats', { token: adminJwt })).status).toBe(401);
    expect((await api('/admin/stats', { token: await mintToken({ sub: 'ops', roles: ['admin'] }) })).status).toBe(200);
  });

  it.each<[string, object, string[]]>([
    ['neither userId nor jti', { until: '2099-01-01T00:00:00Z' }, ['userId']],
    ['no until', { userId: 'a' }, ['until']],
    ['an until that is not ISO 8601', { userId: 'a', until: 'tomorrow' }, ['until']],
    ['an until in the past', { userId: 'a', until: '2001-01-01T00:00:00Z' }, ['until']],
    ['a jti that is not a string', { jti: 5, until: '2099-01-01T00:00:00Z' }, ['jti']],
    ['an unknown field', { userId: 'a', until: '2099-01-01T00:00:00Z', reason: 'x' }, ['reason']],
  ])('answers 400 with details for %s', async (_name, body, fields) => {
    const server = await start();
    const response = await adminClient(server.httpUrl)('/admin/revocations', { method: 'POST', json: body });
    expect(response.status).toBe(400);
    const error: Json = await response.json();
    expect(error.details.map((d: Json) => d.field).sort()).toEqual(fields);
  });
});
