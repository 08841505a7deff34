import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNewsWeb, type NewsWeb } from '../fixtures/news-web/server.ts';
import { runMonitor } from '../helpers/cli.ts';

// The three contracts used to evaluate the product on real pages and articles: run as a user would.
let web: NewsWeb;
const dir = mkdtempSync(join(tmpdir(), 'contracts-'));
beforeAll(async () => {
  web = await startNewsWeb();
});
afterAll(() => web.close());

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('monitor extract', () => {
  it('prints one JSON object with the contract fields for a saved page', async () => {
    const article = web.articles.find((a) => a.outlet === 'tinnhanh' && !a.trap && Date.parse(a.publishedAt) <= web.clock.now().getTime())!;
    const url = web.urlOf(article.id);
    const file = join(dir, 'page.html');
    writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
    const res = await runMonitor(['extract', '--url', url, file]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(
      ['author', 'body', 'canonicalUrl', 'image', 'lang', 'modifiedAt', 'publishedAt', 'sapo', 'section', 'tags', 'title', 'url'].sort(),
    );
    expect(out.title).toBe(article.title);
    expect(String(out.body).split('\n\n')).toHaveLength(article.body.length);
    expect(out.publishedAt).toMatch(/\+07:00$/);
  });

  it('fails with a usage error for a missing file or a bad URL', async () => {
    expect((await runMonitor(['extract', '--url', 'https://bao.vn/a.html', join(dir, 'none.html')])).code).toBe(64);
    expect((await runMonitor(['extract', '--url', 'not a url', join(dir, 'page.html')])).code).toBe(64);
  });
});

describe('monitor tag | monitor rules check', () => {
  const input = [
    JSON.stringify({ id: 'a1', url: 'https://baoangiang.com.vn/a1.html', title: 'Chủ tịch UBND xã Tân Hội bị khởi tố vì nhận hối lộ', sapo: 'Công an tỉnh An Giang đã khởi tố bị can đối với Chủ tịch UBND xã Tân Hội.', body: 'Ngày 20/11, Cơ quan Cảnh sát điều tra Công an tỉnh An Giang ra quyết định khởi tố vụ án, khởi tố bị can và bắt tạm giam ông Nguyễn Văn A, Chủ tịch UBND xã Tân Hội, về tội nhận hối lộ.', publishedAt: '2026-11-20T08:00:00+07:00' }),
    '{ broken json',
    JSON.stringify({ id: 'a2', title: 'Thiếu nội dung' }),
    JSON.stringify({ id: 'a3', outlet: 'baoquangngai', title: 'Sở Giáo dục và Đào tạo khen thưởng học sinh giỏi', body: 'Sở GD&ĐT tỉnh Quảng Ngãi tổ chức lễ tuyên dương 120 học sinh đạt giải cấp quốc gia.', publishedAt: '2026-11-19T15:00:00+07:00' }),
  ].join('\n');

  it('tags good lines, reports bad ones by line number, and keeps going', async () => {
    const res = await runMonitor(['tag'], { input });
    expect(res.code).toBe(0);
    const out = lines(res.stdout);
    expect(out.map((o) => o.id)).toEqual(['a1', 'a3']);
    expect(res.stderr).toMatch(/line 2: not valid JSON/);
    expect(res.stderr).toMatch(/line 3: body/);
    const a1 = out[0]!;
    const ids = (a1.agencies as Array<{ id: string }>).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['2025-c30856-ubnd', '2025-91-cong-an']));
    expect((a1.sensitivity as { level: string }).level).toBe('hot');
    expect(a1).toHaveProperty('storyId');
    expect(a1).toHaveProperty('duplicateOf', null);
    expect((out[1]!.agencies as Array<{ id: string }>).map((a) => a.id)).toEqual(['2025-51-so-gd-dt']);
    writeFileSync(join(dir, 'tagged.jsonl'), res.stdout);
  });

  it('turns the tagged lines into flags with deadlines and regimes', async () => {
    const res = await runMonitor(['rules', 'check', '--in', join(dir, 'tagged.jsonl')]);
    expect(res.code).toBe(0);
    const flags = lines(res.stdout);
    expect(flags.length).toBeGreaterThan(0);
    for (const f of flags) {
      expect(Object.keys(f).sort()).toEqual(['agencyId', 'articleId', 'deadline', 'kind', 'priority', 'reasons', 'regime', 'ruleId'].sort());
      expect(f.regime).toBe('luat-126-2025');
    }
    expect(flags.some((f) => f.articleId === 'a1' && f.kind === 'escalate')).toBe(true);
    expect(flags.filter((f) => f.articleId === 'a3')).toEqual([]);
  });
});
