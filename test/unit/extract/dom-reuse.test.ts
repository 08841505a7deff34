import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../crawlers/extract/article.ts';
import { fromRoot } from '../../../lib/paths.ts';

const dir = fromRoot('test', 'unit', 'extract', 'fixtures');
const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));

// The crawler hands crawlee's already-parsed page to the extractor; the result must not change.
describe('extraction from a DOM parsed by the crawler', () => {
  it.each(pages)('%s gives the same record as from the HTML', (file) => {
    const html = readFileSync(join(dir, file), 'utf8');
    const url = `https://baomau.vn/${file.replace(/\.html$/, '')}-123.html`;
    const now = new Date('2026-11-23T10:00:00+07:00');
    const dom = load(html, { xml: { xmlMode: false, decodeEntities: true } });
    expect(extractArticle(html, { url, now, dom })).toEqual(extractArticle(html, { url, now }));
  });
});
