import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, type CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  buildDomIndex,
  compileSelector,
  elementChildren,
  findIn,
  selectIn,
  textContent,
} from '../../../crawlers/extract/dom-index.ts';
import { fromRoot } from '../../../lib/paths.ts';

const dir = fromRoot('test', 'unit', 'extract', 'fixtures');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.html'))
  .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);

/** Markup meant to trip a hand-written matcher: case, whitespace, nesting, odd attributes. */
const EDGE_CASES = `<!doctype html><html lang="VI"><head>
<title>T <b>x</b></title>
<link REL="Canonical" href="https://a.vn/x.html"><link rel="stylesheet canonical" href="/b">
<link rel="IMAGE_SRC" href="/img.jpg"><meta itemprop="datePublished" content="2026-11-23">
<style class="breadcrumb">.x{}</style><script class="tag">var a = '<a class="tag">';</script>
</head><body>
<div class="Breadcrumb"><a>Upper</a></div>
<div class="breadcrumb	tab"><a href="/">Trang chủ</a> › <span>Thời sự</span></div>
<div class="x-breadcrumbs-y"><a>Sub</a></div>
<div class="breadcrumb&#160;nbsp"><a>NBSP</a></div>
<ul id="main-breadcrumb"><li><a>By id</a></li></ul>
<nav itemtype="https://schema.org/BreadcrumbList"><a>Schema</a></nav>
<div class="header-content"><div><span class="parent-cate">Deep</span></div></div>
<span class="parent-cate">Not under header</span>
<div class="header-content parent-cate">Both on one</div>
<h2 class="title">H2 title</h2><h3 class="title">H3 title</h3><p class="Image">Cap</p><p class="image">no</p>
<td class="image_desc">cell</td><div class="TieuDe">TD</div><div class="news_title_x">NT</div>
<figure><img src="a.jpg"><amp-img src="b.jpg"></amp-img><figcaption>Fig <em>cap</em></figcaption></figure>
<div class="imgCaption">c1</div><div class="PhotoCMS_Caption">c2</div><div class="note">n</div><div class="desc">d</div>
<p>text <em>one</em> <i>two <em>nested</em></i><!-- <em>comment</em> --></p>
<a rel="TAG nofollow" href="/t">Tag</a><a rel="tags">Not</a>
<div class="tags"><span class="tag-item">s</span><li class="xtagx">l</li></div>
<span itemprop="dateModified" datetime="2026-11-24">m</span>
<template><div class="breadcrumb">in template</div></template>
<svg><title>svg title</title><a class="breadcrumb">svg</a></svg>
<noscript><div class="title">ns</div></noscript>
<textarea class="title">ta</textarea>
</body></html>`;

const SELECTORS = [
  '[itemtype*="BreadcrumbList"], .breadcrumb, .breadcrumbs, .bread-crumb, .breadcrumb-detail, [class*="breadcrumb"], [id*="breadcrumb"], [class*="bread-crumb"], .duong-dan, .cate-path, .cat-path, .nav-path, .path, .navigation-path, .detail-cate, .header-content .parent-cate',
  '[itemprop="headline"], .title-detail, .detail-title, .article-title, .article__title, .post-title, .entry-title, .news-title, .content-detail-title, .title-page, .the-article-title, .detail__title, h2.title, [class*="title_news"], [class*="titlenews"], [class*="title-news"], [class*="news_title"], .title, [class*="tieude"], [class*="tieu-de"], [class*="tieu_de"], [class*="TieuDe"]',
  'figcaption, [class*="caption"], [class*="Caption"], .image_desc, .img-desc, .desc, p.Image, td.image_desc, .chu-thich, .note, .PhotoCMS_Caption',
  'img, amp-img',
  'em, i',
  'a',
  'h1',
  'meta',
  'title',
  'link[rel="image_src"]',
  'link[rel~="canonical"]',
  'a[rel~="tag"]',
  '[class*="tag"]',
  '[itemprop="datePublished"]',
  '[itemprop="dateModified"]',
  'script, style, noscript, svg, template, textarea',
  '[rel^="TA"], [rel$="FOLLOW"], [class^="Bread"], [class$="tab"], [datetime]',
  'div .title, body div span',
  '#main-breadcrumb, *[lang]',
];

const pages: Array<readonly [string, string]> = [...fixtures, ['edge cases', EDGE_CASES]];

/** The two ways the extractor gets a page: crawlee's htmlparser2 DOM and cheerio's own load. */
function parsers(html: string): Array<[string, CheerioAPI]> {
  return [
    ['htmlparser2', load(parseDocument(html, { decodeEntities: true }) as never)],
    ['cheerio xml:false', load(html, { xml: { xmlMode: false, decodeEntities: true } })],
  ];
}

const rootOf = ($: CheerioAPI): AnyNode => $.root()[0] as unknown as AnyNode;

describe('DOM index selectors match cheerio exactly', () => {
  it.each(pages)('%s: whole-document selections, same elements in the same order', (_name, html) => {
    for (const [, $] of parsers(html)) {
      const index = buildDomIndex(rootOf($));
      for (const sel of SELECTORS) {
        expect(selectIn(index, sel), sel).toEqual($(sel).toArray());
      }
    }
  });

  it.each(pages)('%s: selections inside every element (find)', (_name, html) => {
    for (const [, $] of parsers(html)) {
      const index = buildDomIndex(rootOf($));
      const boxes = index.all.filter((_, i) => i % 7 === 0 || index.all[i]!.name === 'figure');
      for (const sel of SELECTORS) {
        const compiled = compileSelector(sel);
        for (const box of boxes) {
          expect(findIn(index, box, compiled), `${sel} in <${box.name}>`).toEqual($(box).find(sel).toArray());
        }
      }
    }
  });

  it('lists every element once, in document order, with exact subtree ranges', () => {
    const [[, $]] = parsers(EDGE_CASES) as [[string, CheerioAPI]];
    const index = buildDomIndex(rootOf($));
    expect(index.all).toEqual($('*').toArray());
    index.all.forEach((el, i) => {
      expect(index.pos.get(el)).toBe(i);
      const descendants = $(el).find('*').toArray();
      expect(index.end[i]).toBe(i + descendants.length);
    });
    expect(index.byTag.get('a')).toEqual($('a').toArray());
  });

  it('removes elements by tag on the way, as cheerio remove() does', () => {
    const tags = new Set(['script', 'style', 'noscript', 'svg', 'template', 'textarea']);
    for (const [, html] of pages) {
      const [[, a], [, b]] = [parsers(html)[0]!, parsers(html)[0]!];
      a('script, style, noscript, svg, template, textarea').remove();
      const index = buildDomIndex(rootOf(b), { remove: tags });
      expect(b.html()).toBe(a.html());
      expect(index.all).toEqual(b('*').toArray());
      for (const t of tags) expect(index.byTag.get(t)).toBeUndefined();
    }
  });

  it('text and children helpers agree with cheerio', () => {
    for (const [, html] of pages) {
      for (const [, $] of parsers(html)) {
        const index = buildDomIndex(rootOf($));
        for (const el of index.all) {
          expect(textContent(el)).toBe($(el).text());
          expect(elementChildren(el)).toEqual($(el).children().toArray());
        }
      }
    }
  });

  it('an element from another tree is searched by walking it', () => {
    const $ = load('<div><p><a>x</a></p></div>');
    const other = load('<section><a>y</a><b><a>z</a></b></section>');
    const index = buildDomIndex(rootOf($));
    const section = other('section')[0] as Element;
    expect(findIn(index, section, 'a').map((e) => textContent(e))).toEqual(['y', 'z']);
  });

  it('refuses selectors outside the supported subset instead of matching them wrongly', () => {
    for (const bad of ['div > p', 'a:first-child', 'p + p', 'ul ~ li', '[class|="x"]', 'div,', '::before', '[a="b" i]']) {
      expect(() => compileSelector(bad), bad).toThrow(/unsupported/);
    }
  });
});
