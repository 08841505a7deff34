import { describe, expect, it } from 'vitest';
import { launchChromium } from '../../lib/chromium.ts';
import { openRenderer } from '../../rules/cases/chromium.ts';
import { openDigestBrowser } from '../../notify/digest/pdf.ts';

// Playwright's default signal handlers close the browsers and exit the process with code 130 on Ctrl-C,
// which cut the monitor off mid-batch; every Chromium the project launches must leave signals to it.
describe('Chromium launched by the project', () => {
  it('installs no SIGINT, SIGTERM or SIGHUP handler of its own', async () => {
    const count = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    const before = count();
    const browser = await launchChromium();
    const renderer = await openRenderer();
    const digest = await openDigestBrowser();
    try {
      expect(count()).toEqual(before);
      expect(browser.isConnected()).toBe(true);
    } finally {
      await Promise.all([browser.close(), renderer.close(), digest.close()]);
    }
  });
});
