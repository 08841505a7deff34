/** The web app on a loopback port with its test data, and Debian's Chromium to drive it like a person. */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright';
import { launchChromium } from '../../../lib/chromium.ts';
import { fromRoot } from '../../../lib/paths.ts';
import { PASSWORD, openWebFixture, type WebFixture } from './fixture.ts';

/** Screenshots of the browser tests, kept as test artifacts. */
export const SHOTS = fromRoot('test-results', 'screenshots');

export interface BrowserApp {
  fixture: WebFixture;
  browser: Browser;
  base: string;
  login(page: Page, username: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowserApp(): Promise<BrowserApp> {
  mkdirSync(SHOTS, { recursive: true });
  const fixture = await openWebFixture();
  await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  const address = fixture.app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchChromium();
  return {
    fixture,
    browser,
    base,
    async login(page, username) {
      await page.goto(`${base}/login`);
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', PASSWORD);
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
    },
    async close() {
      await browser.close();
      await fixture.close();
    },
  };
}
