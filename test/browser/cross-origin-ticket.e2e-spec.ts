/// <reference lib="dom" />
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startServer, TestServer } from '../support/test-app';
import { mintToken } from '../support/tokens';

/** A page on another loopback port: an app that is not the gateway. */
async function startPageServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A browser app on another origin gets a ticket (CORS, Authorization header) and connects with it. */
describe('a page on another origin, in a real browser', () => {
  let allowedPage: { url: string; server: Server };
  let otherPage: { url: string; server: Server };
  let gateway: TestServer;
  let chromium: Browser;

  beforeAll(async () => {
    allowedPage = await startPageServer();
    otherPage = await startPageServer();
    gateway = await startServer({ ALLOWED_ORIGINS: allowedPage.url });
    chromium = await launchChromium();
  }, 30000);
  afterAll(async () => {
    await chromium?.close();
    await gateway?.close();
    await Promise.all([allowedPage, otherPage].map((page) => page && new Promise((resolve) => page.server.close(resolve))));
  });

  /** In the page: POST /auth/ticket with the JWT, then the WebSocket with ?ticket=; the first frame, or why not. */
  const ticketThenConnect = async (pageUrl: string) => {
    const page = await chromium.newPage();
    await page.goto(pageUrl);
    const result = await page.evaluate(
      async ({ httpUrl, wsUrl, token }) => {
        let ticket: string;
        try {
          const response = await fetch(`${httpUrl}/auth/ticket`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
          ticket = ((await response.json()) as { ticket: string }).ticket;
        } catch (err) {
          return `fetch failed: ${(err as Error).name}`;
        }
        const socket = new WebSocket(`${wsUrl}?ticket=${ticket}`);
        return new Promise<unknown>((resolve) => {
          socket.onmessage = (event) => {
            resolve(JSON.parse(event.data as string));
            socket.close();
          };
          socket.onclose = (event) => resolve(`closed ${event.code}`);
        });
      },
      { httpUrl: gateway.httpUrl, wsUrl: gateway.wsUrl, token: await mintToken({ sub: 'webapp-user' }) },
    );
    await page.close();
    return result;
  };

  it('fetches a ticket from an allowed origin and opens the WebSocket with it', async () => {
    expect(await ticketThenConnect(allowedPage.url)).toMatchObject({ type: 'welcome', data: { userId: 'webapp-user' } });
  }, 20000);

  it('cannot read a ticket from an origin ALLOWED_ORIGINS does not list', async () => {
    expect(await ticketThenConnect(otherPage.url)).toBe('fetch failed: TypeError');
  }, 20000);
});
