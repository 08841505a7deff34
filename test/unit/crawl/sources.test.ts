import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSources, outletProvince } from '../../../crawlers/sources/load.ts';

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sources-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('sources registry', () => {
  it('ships real national outlets and the papers and stations of An Giang, Quảng Ngãi and Ninh Bình', () => {
    const sources = loadSources();
    const ids = sources.map((s) => s.id);
    for (const id of ['nhandan', 'vnexpress', 'dantri', 'tuoitre', 'thanhnien', 'vietnamnet', 'laodong', 'cand', 'vov', 'vtv', 'baoangiang', 'baoquangngai', 'baoninhbinh']) {
      expect(ids).toContain(id);
    }
    for (const code of ['91', '51', '37']) {
      const local = sources.filter((s) => s.homeProvince?.code === code);
      expect(local.map((s) => s.kind)).toEqual(expect.arrayContaining(['print+web', 'radio-tv']));
    }
    // None of them can be reached from these machines, and none claims otherwise.
    expect(sources.every((s) => !s.verified && !s.allowPrivateNetwork)).toBe(true);
    expect(sources.find((s) => s.id === 'vnexpress')!.interval).toBe(5 * 60_000);
  });

  it('names the file, line, source and field of an invalid entry', () => {
    const path = file(
      'bad.yaml',
      ['- id: ok-paper', '  name: Báo A', '  homepage: https://a.vn/', '  kind: e-paper', '  level: national', '  feeds: [https://a.vn/rss]',
        '- id: bad-paper', '  name: Báo B', '  homepage: https://b.vn/', '  kind: newspaper', '  level: national', '  feeds: [not-a-url]', '  interval: often'].join('\n'),
    );
    let message = '';
    try {
      loadSources([path]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/bad\.yaml:10:\d+: \[1\]\.kind: source "bad-paper": /);
    expect(message).toMatch(/bad\.yaml:12:\d+: \[1\]\.feeds\[0\]: source "bad-paper": an http\(s\) URL/);
    expect(message).toMatch(/bad\.yaml:13:\d+: \[1\]\.interval: source "bad-paper": a duration/);
    expect(message).not.toContain('ok-paper');
  });

  it('rejects duplicate ids and sources with nothing to crawl', () => {
    const dup = file('dup.yaml', '- {id: a, name: A, homepage: "https://a.vn/", kind: portal, level: national, feeds: ["https://a.vn/rss"]}\n- {id: a, name: B, homepage: "https://b.vn/", kind: portal, level: national, feeds: ["https://b.vn/rss"]}\n');
    expect(() => loadSources([dup])).toThrow(/source "a" is already defined/);
    const empty = file('empty.yaml', '- {id: a, name: A, homepage: "https://a.vn/", kind: portal, level: national}\n');
    expect(() => loadSources([empty])).toThrow(/needs at least one feed, sitemap or listing/);
  });

  it('gives the pre-2025 home province for articles before the reform', () => {
    const kontum = loadSources().find((s) => s.id === 'baokontum')!;
    expect(outletProvince(kontum, '2023-05-01T08:00:00+07:00')).toEqual({ code: '62', period: 'pre2025' });
    expect(outletProvince(kontum, '2025-08-01T08:00:00+07:00')).toEqual({ code: '51', period: '2025' });
  });
});
