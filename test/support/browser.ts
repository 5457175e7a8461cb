import { Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium (playwright cannot download its own here), headless. Playwright gives every
 * launch a fresh, temporary user-data dir of its own.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
