import mammoth from 'mammoth';
import { type Browser, type Locator, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_ARTICLE, OWN_CASE } from './fixture.ts';
import { fromRoot } from '../../../lib/paths.ts';
import { openBrowserApp, SHOTS, type BrowserApp } from './browser.ts';

// A monitor in headless Chromium takes a flagged article's case from "mới" to "đóng": assigns it, comments,
// moves it along the workflow, generates and downloads the correction letter, attaches the outlet's
// correction. Then the digest and rule pages as their users see them. Screenshots are test artifacts.
let app: BrowserApp;
let browser: Browser;
let base: string;

const login = (page: Page, username: string) => app.login(page, username);

/** Submit a data-api form; the page script shows the server's message, then reloads the page. */
async function submitAndReload(page: Page, form: Locator): Promise<string> {
  const reloaded = page.waitForEvent('load');
  await form.locator('button[type=submit]').last().click();
  const toast = (await page.locator('#toast.show').textContent({ timeout: 15_000 })) ?? '';
  expect(toast, toast).not.toMatch(/lỗi|không/i);
  await reloaded;
  return toast;
}

const form = (page: Page, action: string) => page.locator(`form[data-api$="/${action}"]`);

async function moveTo(page: Page, state: string, note: string): Promise<void> {
  const f = form(page, 'transition');
  await f.locator('select[name=to]').selectOption(state);
  await f.locator('textarea[name=note]').fill(note);
  await submitAndReload(page, f);
}

beforeAll(async () => {
  app = await openBrowserApp();
  ({ browser, base } = app);
}, 120_000);
afterAll(() => app?.close());

describe('the case workflow in a browser', () => {
  it('goes from a flagged article to its closed case, with the correction letter downloaded', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    await login(page, 'theodoi');

    // The flagged article, found by search, links to its case.
    await page.goto(`${base}/search?q=${encodeURIComponent('o dich sot xuat huyet')}&level=hot`);
    // The original and its copy fold into one row: the flagged original is the row or among "cùng sự việc".
    const original = page.locator(`ol.results h2 a[href="/articles/${OWN_ARTICLE.id}"]`);
    if ((await original.count()) === 0) await page.locator('ol.results details.related summary').first().click();
    const link = (await original.count()) > 0 ? original : page.locator(`ol.results details.related a[href="/articles/${OWN_ARTICLE.id}"]`);
    await Promise.all([page.waitForURL(`${base}/articles/${OWN_ARTICLE.id}`), link.first().click()]);
    expect(await page.locator('aside.article-side').textContent()).toContain('Cần phát ngôn');
    const caseLink = page.locator('aside.article-side a[href^="/cases/"]', { hasText: 'Mới – Sở Y tế tỉnh An Giang' });
    await Promise.all([page.waitForURL(`${base}/cases/${OWN_CASE}`), caseLink.first().click()]);
    await expect.poll(() => page.locator('.meta .badge.state').textContent()).toBe('Mới');
    expect(await page.locator('.meta').first().textContent()).toContain('Sở Y tế tỉnh An Giang');

    // Assign to oneself, comment.
    const assign = form(page, 'assign');
    await assign.locator('select[name=assignee]').selectOption('theodoi');
    expect(await submitAndReload(page, assign)).toContain('Đã cập nhật phân công');
    expect(await page.locator('.meta').first().textContent()).toContain('Phụ trách: theodoi');
    const notes = form(page, 'notes');
    await notes.locator('textarea[name=text]').fill('Đã liên hệ phóng viên, chuẩn bị văn bản đề nghị cải chính.');
    await submitAndReload(page, notes);
    expect(await page.locator('.actions blockquote').last().textContent()).toContain('Đã liên hệ phóng viên');

    await moveTo(page, 'dang-xu-ly', 'Tiếp nhận, giao phòng Nghiệp vụ Y');
    expect(await page.locator('.meta .badge.state').textContent()).toBe('Đang xử lý');

    // The correction letter: generated on the server, downloaded by the browser.
    const letter = form(page, 'letter');
    await letter.locator('input[name=issuerParent]').fill('ỦY BAN NHÂN DÂN TỈNH AN GIANG');
    await letter.locator('input[name=issuerName]').fill('SỞ Y TẾ');
    await letter.locator('input[name=issuerShortName]').fill('Sở Y tế tỉnh An Giang');
    await letter.locator('input[name=number]').fill('15/SYT-VP');
    await letter.locator('input[name=place]').fill('An Giang');
    await letter.locator('textarea[name=claim]').fill('Bài viết nêu Sở Y tế giấu thông tin về ổ dịch');
    await letter.locator('textarea[name=fact]').fill('Sở Y tế đã công bố ổ dịch ngày 19/11/2026 trên cổng thông tin');
    await letter.locator('input[name=signerTitle]').fill('GIÁM ĐỐC');
    await letter.locator('input[name=signerName]').fill('Nguyễn Văn An');
    await letter.locator('select[name=format]').selectOption('docx');
    const reloaded = page.waitForEvent('load');
    const [download] = await Promise.all([page.waitForEvent('download'), letter.locator('button[type=submit]').click()]);
    expect(download.suggestedFilename()).toBe(`cong-van-cai-chinh-${OWN_CASE.slice(0, 8)}.docx`);
    const saved = fromRoot('test-results', 'cong-van-cai-chinh-e2e.docx');
    await download.saveAs(saved);
    const { value: text } = await mammoth.extractRawText({ path: saved });
    expect(text).toContain(OWN_ARTICLE.title!);
    expect(text).toContain('Tin Nhanh');
    expect(text).toContain('15/SYT-VP');
    await reloaded;
    expect(await page.locator('text=15/SYT-VP – DOCX').count()).toBe(1);

    await moveTo(page, 'da-gui-de-nghi-cai-chinh', 'Đã gửi công văn 15/SYT-VP qua thư điện tử');
    expect(await page.locator('.meta').first().textContent()).toContain('Hạn báo cải chính');

    // The outlet published its correction: attaching it moves the case on.
    const correction = form(page, 'correction');
    await correction.locator('input[name=url]').fill('https://tinnhanh.example.vn/cai-chinh-o-dich.html');
    await correction.locator('input[name=title]').fill('Cải chính thông tin về ổ dịch sốt xuất huyết tại An Giang');
    expect(await submitAndReload(page, correction)).toContain('báo đã cải chính');
    expect(await page.locator('.meta .badge.state').textContent()).toBe('Báo đã cải chính');

    await moveTo(page, 'dong', 'Báo đã cải chính đúng nội dung đề nghị');
    expect(await page.locator('.meta .badge.state').textContent()).toBe('Đóng');
    // A closed case can only be reopened.
    expect(await form(page, 'transition').locator('select[name=to] option').evaluateAll((os) => os.map((o) => o.getAttribute('value')))).toEqual(['dang-xu-ly']);
    const history = (await page.locator('table.history').textContent()) ?? '';
    for (const step of ['Mở vụ việc', 'Phân công', 'Ghi chú', 'Tiếp nhận xử lý → đang xử lý', 'Đã gửi văn bản đề nghị cải chính → đã gửi đề nghị cải chính', 'Báo đã đăng cải chính → báo đã cải chính', 'Đóng vụ việc → đóng']) {
      expect(history).toContain(step);
    }
    expect(history).not.toMatch(/phan-cong|ghi-chu|dang-xu-ly/);
    await page.screenshot({ path: `${SHOTS}/case-page.png`, fullPage: true });

    await page.goto(`${base}/cases`);
    const closed = page.locator('section.column', { has: page.locator('h2', { hasText: /^đóng/ }) });
    expect(await closed.locator(`a.card[href="/cases/${OWN_CASE}"]`).count()).toBe(1);
    expect(await closed.locator('a.card').first().textContent()).toContain('Sở Y tế tỉnh An Giang');
    await page.screenshot({ path: `${SHOTS}/cases-board.png`, fullPage: true });
    await context.close();
  });

  it('generates a digest from the Digests page and opens it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await login(page, 'theodoi');
    await page.goto(`${base}/digests`);
    const f = form(page, 'generate');
    await f.locator('input[name=date]').fill('2026-11-21');
    await f.locator('select[name=province]').selectOption('91');
    await f.locator('input[name=formats][value=pdf]').uncheck();
    expect(await submitAndReload(page, f)).toContain('Đã tạo điểm báo');
    const row = page.locator('tr[data-digest="tinh-91-2026-11-21"]');
    expect(await row.textContent()).toContain('Toàn tỉnh An Giang');
    await page.screenshot({ path: `${SHOTS}/digests.png`, fullPage: true });
    const [view] = await Promise.all([page.context().waitForEvent('page'), row.locator('a', { hasText: 'Xem' }).click()]);
    await view.waitForLoadState();
    expect(await view.textContent('body')).toContain('Sở Y tế An Giang xử lý ổ dịch sốt xuất huyết');
    await page.context().close();
  });

  it('shows rule-file problems with their line in the Admin editor', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await login(page, 'admin');
    await page.goto(`${base}/admin`);
    await Promise.all([page.waitForURL(/\/admin\/rules\//), page.locator('table.rules a[href="/admin/rules/10-spokesperson.yaml"]').click()]);
    const editor = page.locator('textarea[name=yaml]');
    const text = await editor.inputValue();
    await editor.fill(text.replace('kind: needs_response', 'kind: can-phat-ngon'));
    await page.locator('button', { hasText: 'Chỉ kiểm tra' }).click();
    const problems = page.locator('[data-problems] li');
    await problems.first().waitFor();
    expect(await problems.first().textContent()).toMatch(/^Tệp 10-spokesperson\.yaml, dòng \d+, cột \d+: rules\[0\]\.then\.kind: giá trị không hợp lệ/);
    await page.screenshot({ path: `${SHOTS}/admin-rules.png`, fullPage: true });
    await page.context().close();
  });
});
