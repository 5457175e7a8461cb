/// <reference lib="dom" />
import { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startServer, TEST_ADMIN_TOKEN, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect } from '../support/ws-client';

/** The dashboard at /admin/ui in a real Chromium: sign in, watch a client arrive, kick it. */
describe('admin dashboard in a real browser', () => {
  let server: TestServer;
  let chromium: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    chromium = await launchChromium();
    page = await chromium.newPage();
  }, 30000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  const text = (testid: string) => page.textContent(`[data-testid=${testid}]`);
  const waitForText = (testid: string, expected: string) =>
    page.waitForFunction(([id, t]) => document.querySelector(`[data-testid=${id}]`)?.textContent === t, [testid, expected], { timeout: 10000 });
  const row = (sessionId: string) => `[data-testid=connections] tr[data-session-id="${sessionId}"]`;

  it('refuses a wrong token and stays on the sign-in form', async () => {
    await page.goto(`${server.httpUrl}/admin/ui`);
    expect(page.url()).toBe(`${server.httpUrl}/admin/ui/`);
    await page.fill('[data-testid=token]', 'wrong-token-wrong-token');
    await page.click('[data-testid=sign-in]');
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')!.textContent!.includes('invalid admin credentials'));
    expect(await page.isVisible('[data-testid=login]')).toBe(true);
    expect(await page.isVisible('[data-testid=dashboard]')).toBe(false);
  });

  it('signs in, shows a client connecting, its room and messages, publishes to it, kicks it and sees it gone', async () => {
    await page.fill('[data-testid=token]', TEST_ADMIN_TOKEN);
    await page.click('[data-testid=sign-in]');
    await waitForText('count-connections', '0');
    expect(await text('node')).toBe(server.config.nodeId);
    expect(await page.isVisible('[data-testid=login]')).toBe(false);
    expect(await page.isVisible('[data-testid=dashboard]')).toBe(true);

    const visitor = await connect(server.wsUrl, { token: await mintToken({ sub: 'visitor' }) });
    const sessionId = visitor.frames[0].data.sessionId as string;
    await visitor.request('room.join', { room: 'public:dash' });
    await visitor.request('room.publish', { room: 'public:dash', body: { text: 'hello from the visitor' } });
    await page.waitForSelector(row(sessionId), { timeout: 10000 });
    expect(await page.textContent(`${row(sessionId)} td:nth-child(2)`)).toBe('visitor');
    await waitForText('count-connections', '1');
    expect(await text('count-rooms')).toBe('1');

    await page.click('[data-testid=rooms] button[data-room="public:dash"]');
    await page.waitForFunction(() => document.querySelector('[data-testid=history]')!.textContent!.includes('hello from the visitor'));
    expect(await text('presence')).toContain('visitor');

    await page.fill('[data-testid=publish-text]', 'hello from the dashboard');
    await page.click('[data-testid=publish-send]');
    const message = await visitor.next((f) => f.type === 'message' && f.data.from === 'system');
    expect(message.data.body).toEqual({ text: 'hello from the dashboard' });
    await page.waitForFunction(() => document.querySelector('[data-testid=history]')!.textContent!.includes('system: hello from the dashboard'));
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/admin-dashboard.png` });

    await page.click(`${row(sessionId)} [data-testid=kick]`);
    expect((await visitor.closed).code).toBe(4503);
    await page.waitForSelector(row(sessionId), { state: 'detached', timeout: 10000 });
    await waitForText('count-connections', '0');
  }, 40000);

  it('keeps the token out of storage and cookies, and forgets it on sign-out', async () => {
    const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
    expect(stored).toEqual({ local: 0, session: 0, cookie: '' });
    expect(await page.inputValue('[data-testid=token]')).toBe('');
    await page.click('[data-testid=sign-out]');
    expect(await page.isVisible('[data-testid=login]')).toBe(true);
    await page.reload();
    expect(await page.isVisible('[data-testid=login]')).toBe(true);
    expect(await text('count-connections')).toBe('-');
  });
});
