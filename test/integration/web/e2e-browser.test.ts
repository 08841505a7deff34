import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { OTHER_ARTICLE, OWN_ARTICLE } from './fixture.ts';
import { openBrowserApp, SHOTS, type BrowserApp } from './browser.ts';

// A person in headless Chromium (Debian's): log in, search, click a facet, open an article carrying XSS
// payloads, and see only one's own agency as an agency user. Screenshots are kept as test artifacts.
let app: BrowserApp;
let browser: Browser;
let base: string;

const login = (page: Page, username: string) => app.login(page, username);

beforeAll(async () => {
  app = await openBrowserApp();
  ({ browser, base } = app);
}, 120_000);
afterAll(() => app?.close());

describe('the web app in a browser', () => {
  it('finds articles typed without diacritics, folds copies into their story, and filters by a facet', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, 'theodoi');
    await page.goto(`${base}/search?q=${encodeURIComponent('so y te an giang o dich')}`);
    const body = await page.textContent('body');
    expect(body).toContain('Sở Y tế An Giang xử lý ổ dịch sốt xuất huyết');
    // Two articles of one story (the original and its copy) show as one row, the copy folded under it.
    const rows = page.locator('ol.results > li.result', { hasText: 'Sở Y tế An Giang xử lý ổ dịch sốt xuất huyết' });
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('details.related li').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/search.png`, fullPage: true });

    await page.goto(`${base}/search?q=`);
    expect(await page.locator('ol.results > li.result', { hasText: 'Bệnh viện Quảng Ngãi' }).count()).toBe(1);
    // Facets read as names (the province, not its code "91"); the URL keeps the code.
    const facets = await page.locator('details.facet').allTextContents();
    expect(facets.join(' ')).not.toMatch(/\b91\b|2025-91-so-y-te|\bhot\b|negative/);
    expect(facets.join(' ')).toContain('Sở Y tế tỉnh An Giang');
    await Promise.all([page.waitForURL(/province=91/), page.locator('details.facet a', { hasText: /^An Giang$/ }).first().click()]);
    expect(await page.locator('ol.results > li.result', { hasText: 'Bệnh viện Quảng Ngãi' }).count()).toBe(0);
    expect(await page.locator('ol.results > li.result', { hasText: 'Sở Y tế An Giang' }).count()).toBeGreaterThan(0);
    await page.close();
  });

  it('shows an article carrying script payloads as text, without running them', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await login(page, 'theodoi');
    await page.goto(`${base}/articles/${OTHER_ARTICLE.id}`);
    expect(await page.textContent('body')).toContain('<script>alert("xss")</script>');
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/article-xss.png`, fullPage: true });
    await page.close();
  });

  it('lets an agency user see its own agency only', async () => {
    const page = await browser.newPage();
    await login(page, 'soyte-ag');
    await page.goto(`${base}/search?q=`);
    const text = await page.textContent('body');
    expect(text).toContain('Sở Y tế An Giang xử lý ổ dịch');
    expect(text).not.toContain('Bệnh viện Quảng Ngãi');
    const other = await page.goto(`${base}/articles/${OTHER_ARTICLE.id}`);
    expect(other?.status()).toBe(404);
    const own = await page.goto(`${base}/articles/${OWN_ARTICLE.id}`);
    expect(own?.status()).toBe(200);
    await page.goto(`${base}/cases`);
    await page.screenshot({ path: `${SHOTS}/cases-agency.png`, fullPage: true });
    await page.close();
  });
});
