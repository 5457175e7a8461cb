import { adminClient } from '../support/admin-client';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, TestClient } from '../support/ws-client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('admin API: direct messages and room members', () => {
  let server: TestServer;
  let api: ReturnType<typeof adminClient>;
  let alice1: TestClient;
  let alice2: TestClient;
  let bob: TestClient;

  beforeAll(async () => {
    server = await startServer({ MAX_PAYLOAD_BYTES: '4096' });
    api = adminClient(server.httpUrl);
    alice1 = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice' }) });
    alice2 = await connect(server.wsUrl, { token: await mintToken({ sub: 'alice' }) });
    bob = await connect(server.wsUrl, { token: await mintToken({ sub: 'bob' }) });
    for (const c of [alice1, alice2, bob]) await c.request('room.join', { room: 'public:team' });
  });
  afterAll(async () => {
    await Promise.all([alice1, alice2, bob].map((c) => c.close()));
    await server.close();
  });

  it('sends a direct message from "system" to every session of a user', async () => {
    const response = await api('/admin/users/alice/messages', { method: 'POST', json: { body: { text: 'your plan expires soon' } } });
    expect(response.status).toBe(200);
    const result: Json = await response.json();
    expect(result).toEqual({ messageId: expect.any(String), delivered: 2 });
    for (const client of [alice1, alice2]) {
      const frame = await client.next((f) => f.type === 'direct' && f.data.messageId === result.messageId);
      expect(frame.data).toMatchObject({ from: 'system', body: { text: 'your plan expires soon' } });
    }
    expect(bob.frames.some((f) => f.type === 'direct')).toBe(false);
    expect(await (await api('/admin/users/nobody/messages', { method: 'POST', json: { body: 1 } })).json()).toMatchObject({ delivered: 0 });
  });

  it.each([
    ['/admin/users/alice/messages', { text: 'no body' }, 'text'],
    [`/admin/users/${'u'.repeat(257)}/messages`, { body: 1 }, 'userId'],
  ])('POST %s: 400 with details', async (path, body, field) => {
    const response = await api(path, { method: 'POST', json: body });
    expect(response.status).toBe(400);
    expect((await response.json()).details.map((d: Json) => d.field)).toContain(field);
  });

  it('413 for a direct message body over MAX_PAYLOAD_BYTES', async () => {
    expect((await api('/admin/users/alice/messages', { method: 'POST', json: { body: 'x'.repeat(5000) } })).status).toBe(413);
  });

  it("removes a user's sessions from a room: the others see them leave, then 404", async () => {
    const response = await api('/admin/rooms/public:team/members/alice', { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ removed: 2 });
    for (const gone of [alice1, alice2]) {
      await bob.next((f) => f.type === 'presence.leave' && f.data.sessionId === gone.frames[0].data.sessionId);
    }
    const members: Json = await (await api('/admin/rooms/public:team')).json();
    expect(members.members.map((m: Json) => m.userId)).toEqual(['bob']);
    expect(alice1.socket.readyState).toBe(alice1.socket.OPEN);
    expect((await api('/admin/rooms/public:team/members/alice', { method: 'DELETE' })).status).toBe(404);
    expect((await api('/admin/rooms/bad%20room/members/alice', { method: 'DELETE' })).status).toBe(400);
  });
});
