/// <reference lib="dom" />
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { startServer, TestServer } from '../support/test-app';

// The page logs in through GET /dev/token, which a configured key (the test secret) keeps off unless asked for.
const ENV = { RATE_LIMIT_PER_SEC: '1000', RATE_LIMIT_BURST: '1000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000', DEV_TOKENS: 'true' };

/** Two users chat through the page at / in a real Chromium; the network and the server fail under them. */
describe('chat page in a real browser', () => {
  let server: TestServer;
  let proxy: TcpProxy;
  let chromium: Browser;
  let alice: Page;
  let bob: Page;
  /** Bob's browser profile: its localStorage outlives a closed page. */
  let bobProfile: BrowserContext;

  beforeAll(async () => {
    server = await startServer(ENV);
    proxy = await startTcpProxy(server.port); // bob's network
    chromium = await launchChromium();
  }, 30000);
  afterAll(async () => {
    await chromium?.close();
    await proxy?.close();
    await server?.close();
  });

  const login = async (page: Page, user: string) => {
    await page.fill('[data-testid=user]', user);
    await page.click('[data-testid=dev-token]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=token]') as HTMLInputElement).value.length > 20);
    await page.fill('[data-testid=room]', 'public:browser');
    await page.click('[data-testid=join]');
    await page.waitForSelector('[data-testid=text]:not([disabled])');
  };
  const say = async (page: Page, text: string) => {
    await page.fill('[data-testid=text]', text);
    await page.click('[data-testid=send]');
  };
  const texts = (page: Page) => page.$$eval('[data-testid=messages] li .text', (items) => items.map((i) => i.textContent));
  const waitForText = (page: Page, text: string) =>
    page.waitForFunction((t) => [...document.querySelectorAll('[data-testid=messages] li .text')].some((i) => i.textContent === t), text, { timeout: 15000 });
  const status = (page: Page) => page.textContent('[data-testid=status]');

  it('lets two users log in with dev tokens, see each other present, and chat', async () => {
    alice = await chromium.newPage();
    bobProfile = await chromium.newContext();
    bob = await bobProfile.newPage();
    await alice.goto(`http://127.0.0.1:${server.port}/`);
    await bob.goto(`http://127.0.0.1:${proxy.port}/`);
    await login(alice, 'alice');
    await login(bob, 'bob');
    await alice.waitForFunction(() => document.querySelector('[data-testid=presence]')!.textContent!.includes('bob'));
    expect(await bob.textContent('[data-testid=presence]')).toContain('alice');
    await say(alice, 'hello bob');
    await waitForText(bob, 'hello bob');
    await say(bob, 'hi alice');
    await waitForText(alice, 'hi alice');
    expect(await status(bob)).toBe('open');
  }, 30000);

  it("recovers the messages bob missed while his network was down, once each and in order", async () => {
    proxy.setDown(true);
    proxy.cut();
    await bob.waitForFunction(() => document.querySelector('[data-testid=status]')!.textContent !== 'open');
    const missed = ['while you were away 1', 'while you were away 2', 'while you were away 3', 'while you were away 4'];
    for (const text of missed) {
      await say(alice, text);
      await waitForText(alice, text);
    }
    proxy.setDown(false);
    await waitForText(bob, missed[3]);
    const seen = await texts(bob);
    expect(seen.filter((t) => missed.includes(t!))).toEqual(missed);
    expect(await bob.textContent('[data-testid=events]')).toContain('recovered public:browser');
    await bob.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/chat-after-recovery.png` });
  }, 40000);

  const sendDirect = async (page: Page, to: string, text: string) => {
    await page.fill('[data-testid=direct-to]', to);
    await page.fill('[data-testid=direct-text]', text);
    await page.click('[data-testid=direct-send]');
  };
  const directs = (page: Page) => page.$$eval('[data-testid=directs] li .text', (items) => items.map((i) => i.textContent));
  const waitForDirect = (page: Page, text: string) =>
    page.waitForFunction((t) => [...document.querySelectorAll('[data-testid=directs] li .text')].some((i) => i.textContent === t), text, { timeout: 15000 });
  const eventsOf = (page: Page) => page.textContent('[data-testid=events]');

  it('shows the direct messages bob received while his network was down, once each and in order', async () => {
    await sendDirect(alice, 'bob', 'dm before');
    await waitForDirect(bob, 'dm before');
    proxy.setDown(true);
    proxy.cut();
    await bob.waitForFunction(() => document.querySelector('[data-testid=status]')!.textContent !== 'open');
    const missed = ['dm while away 1', 'dm while away 2', 'dm while away 3'];
    for (const text of missed) {
      await sendDirect(alice, 'bob', text);
      await alice.waitForFunction((t) => document.querySelector('[data-testid=events]')!.textContent!.includes(t), 'direct to bob', { timeout: 5000 });
    }
    proxy.setDown(false);
    await waitForDirect(bob, missed[2]);
    expect(await directs(bob)).toEqual(['dm before', ...missed]);
    expect(await eventsOf(bob)).toContain('recovered direct messages');
  }, 40000);

  it('shows the direct messages sent while bob had closed the page, once he opens it again', async () => {
    await bob.close();
    await sendDirect(alice, 'bob', 'dm while the page was closed');
    await alice.waitForFunction(() => document.querySelector('[data-testid=events]')!.textContent!.includes('stored, recipient offline'), undefined, { timeout: 5000 });
    bob = await bobProfile.newPage();
    await bob.goto(`http://127.0.0.1:${proxy.port}/`);
    await login(bob, 'bob');
    await waitForDirect(bob, 'dm while the page was closed');
    expect(await directs(bob)).toEqual(['dm while the page was closed']);
    expect(await eventsOf(bob)).toContain('recovered direct messages');
  }, 40000);

  it('tells the page it could not recover after the server restarted, and chat resumes', async () => {
    const port = server.port;
    await server.close();
    server = await startServer(ENV, [], port);
    await bob.waitForFunction(() => document.querySelector('[data-testid=events]')!.textContent!.includes('could not recover public:browser'), undefined, { timeout: 20000 });
    await alice.waitForFunction(() => document.querySelector('[data-testid=status]')!.textContent === 'open', undefined, { timeout: 20000 });
    await say(alice, 'after the restart');
    await waitForText(bob, 'after the restart');
  }, 40000);
});
