/**
 * Generic article extraction for Vietnamese news pages: HTML → ExtractedArticle.
 *
 * Evidence, strongest first: site overrides (CSS selectors), JSON-LD (NewsArticle/Article/ReportageNews…,
 * inside @graph or arrays), OpenGraph/meta tags, then DOM heuristics (content block scoring, sapo/lead
 * classes, visible dates, bylines, breadcrumbs, tag lists). Every null field gets a reason in `missing`.
 * Pure: no network, no clock unless `now` is omitted (relative dates then use the current time).
 *
 * Huge pages: the raw HTML is cut to 3 MB around the headline, scripts/styles/comments/SVG/data: URIs
 * are stripped in one linear scan, what remains is windowed to 800 KB, and pages over 400 KB are parsed
 * with htmlparser2 instead of parse5 (a 10 MB page takes a few hundred milliseconds).
 */
import { load, type CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { z } from 'zod';
import { ExtractedArticle } from '../../model/records.ts';
import { log } from '../../lib/log.ts';
import { fold } from '../../pipeline/normalize/vi-text.ts';
import { parseViDateDetailed, type DateParseResult } from './dates-vi.ts';
import { SiteOverrides } from './overrides.ts';
import { normalizeUrl, resolveUrl, sameSite, isHttpUrl } from './url.ts';
import { readJsonLd, type LdInfo } from './jsonld.ts';
import {
  buildDomIndex,
  compileSelector,
  elementChildren,
  findIn,
  selectIn,
  textContent,
  type DomIndex,
} from './dom-index.ts';
import {
  cleanText,
  compareKey,
  detectLang,
  htmlToText,
  langCode,
  sameOrPrefix,
  wordCoverage,
  words,
} from './text.ts';
import {
  alignmentOf,
  CAPTION_LINE_RE,
  classOf,
  collectParagraphs,
  computeStats,
  contains,
  findContentRoots,
  foldedStart,
  PLAYER_RE,
  RELATED_LINE_RE,
  SAPO_CLASS_RE,
  SHARE_LINE_RE,
  TAG_LINE_RE,
  textOf,
  type Para,
  type Stats,
} from './content.ts';

export const ExtractOptions = z.object({
  url: z.string().min(1),
  overrides: SiteOverrides.optional(),
  now: z.date().optional(),
  /**
   * The page already parsed from the same HTML (crawlee's CheerioCrawler gives one), so it is not parsed
   * twice. It is modified (scripts and styles removed).
   */
  dom: z.custom<CheerioAPI>((v) => typeof v === 'function').optional(),
});
export type ExtractOptions = z.input<typeof ExtractOptions>;

const MAX_HTML = 800_000;
/** Raw HTML looked at, at most (a 10 MB page is cut around its headline before anything else). */
const RAW_WINDOW = 3_000_000;
/** Above this size the faster htmlparser2 replaces parse5 (the browser-exact parser). */

interface Prepared {
  html: string;
  ldScripts: string[];
  truncated: boolean;
}

const RAW_TAGS = ['script', 'style', 'noscript', 'svg', 'template', 'textarea'];
const RAW_TAG_SET: ReadonlySet<string> = new Set(RAW_TAGS);

/** Remove comments and script/style/noscript/svg/template/textarea elements in one linear scan. */
export function stripNonText(html: string): string {
  const out: string[] = [];
  const n = html.length;
  let i = 0;
  let from = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      out.push(html.slice(from, lt));
      const end = html.indexOf('-->', lt + 4);
      i = from = end < 0 ? n : end + 3;
      continue;
    }
    const c = html.charCodeAt(lt + 1) | 0x20;
    // s(cript|tyle|vg), n(oscript), t(emplate|extarea)
    if (c === 0x73 || c === 0x6e || c === 0x74) {
      const head = html.slice(lt + 1, lt + 10).toLowerCase();
      const tag = RAW_TAGS.find((t) => head.startsWith(t) && !/[a-z0-9-]/.test(head.charAt(t.length)));
      if (tag) {
        out.push(html.slice(from, lt));
        const close = new RegExp(`</${tag}\\s*>`, 'gi');
        close.lastIndex = lt + tag.length + 1;
        const m = close.exec(html);
        i = from = m ? m.index + m[0].length : n;
        continue;
      }
    }
    i = lt + 1;
  }
  out.push(html.slice(from));
  return out.join('');
}

/** Strip what is never article text and window huge pages, in linear time. */
/** JSON-LD blocks of the raw page (read before scripts are stripped). */
function ldScriptsOf(html: string): string[] {
  const ldScripts: string[] = [];
  const ldRe = /<script\b[^>]*type\s*=\s*["']?application\/ld\+json["']?[^>]*>([\s\S]*?)<\/script\s*>/gi;
  let m: RegExpExecArray | null;
  while ((m = ldRe.exec(html)) !== null && ldScripts.length < 50) ldScripts.push(m[1]!);
  return ldScripts;
}

export function prepareHtml(input: string): Prepared {
  const ldScripts = ldScriptsOf(input);
  let html = input;
  if (html.length > RAW_WINDOW) {
    // coarse cut before any other work: the head and a window of raw HTML around the headline
    const headEnd = html.search(/<\/head\s*>|<body[\s>]/i);
    const head = headEnd > 0 && headEnd < RAW_WINDOW / 2 ? html.slice(0, headEnd) : '';
    const from = head ? headEnd : 0;
    let anchor = html.indexOf('<h1', from);
    if (anchor < 0) anchor = html.indexOf('<H1', from);
    if (anchor < 0) anchor = from;
    let start = Math.max(from, anchor - RAW_WINDOW / 4);
    const lt = html.indexOf('<', start);
    if (lt >= 0) start = lt;
    const end = Math.min(html.length, start + RAW_WINDOW - head.length);
    html = `${head}</head>${html.slice(start, end)}`;
  }
  html = stripNonText(html).replace(/data:[^"'\s<>)]{200,}/g, 'data:,');
  let truncated = false;
  if (html.length > MAX_HTML) {
    truncated = true;
    const headEnd = html.search(/<\/head\s*>/i);
    const head = headEnd > 0 && headEnd < 400_000 ? html.slice(0, headEnd + 7) : '';
    const from = head ? headEnd + 7 : 0;
    let anchor = html.slice(from).search(/<h1[\s>]/i);
    if (anchor < 0) anchor = html.slice(from).search(/<article[\s>]/i);
    anchor = anchor < 0 ? from : from + anchor;
    let start = Math.max(from, anchor - 100_000);
    const lt = html.indexOf('<', start);
    if (lt >= 0) start = lt;
    const budget = MAX_HTML - head.length;
    let end = Math.min(html.length, start + budget);
    const gt = html.lastIndexOf('>', end);
    if (gt > start) end = gt + 1;
    html = `${head}<body>${html.slice(start, end)}</body></html>`;
  }
  return { html, ldScripts, truncated };
}

type Meta = Map<string, string[]>;

function readMeta(index: DomIndex): Meta {
  const meta: Meta = new Map();
  for (const el of (index.byTag.get('meta') ?? []).slice(0, 2000)) {
    const a = el.attribs;
    const content = a['content'] ?? a['value'];
    if (content === undefined) continue;
    for (const k of [a['property'], a['name'], a['itemprop'], a['http-equiv']]) {
      if (!k) continue;
      const key = k.trim().toLowerCase();
      const list = meta.get(key) ?? [];
      list.push(content);
      meta.set(key, list);
    }
  }
  return meta;
}

function metaFirst(meta: Meta, ...keys: string[]): string | null {
  for (const k of keys) {
    for (const v of meta.get(k) ?? []) {
      const t = htmlToText(v);
      if (t) return t;
    }
  }
  return null;
}

function metaRawFirst(meta: Meta, ...keys: string[]): string | null {
  for (const k of keys) for (const v of meta.get(k) ?? []) if (v.trim()) return v.trim();
  return null;
}

/** Ancestors that mark a region as not the article (related lists, sidebars, footers, comments). */
const REGION_NEG_RE =
  /related|lien-?quan|tinlienquan|tin-?khac|tinkhac|sidebar|side-bar|(^|[\s_-])footer|comment|binh-?luan|(^|[\s_-])(list|listing)([\s_-]|$)|box-?news|news-?list|list-?news|most-?(read|view)|xem-?nhieu|doc-?nhieu|tin-?moi|noi-?bat|widget|(^|[\s_-])menu|(^|[\s_-])nav|popup|modal|recommend|suggest|cung-?chuyen-?muc|(^|[\s_-])other|(^|[\s_-])item([\s_-]|$)|swiper|slick|owl-/;

/** Narrower check for tag lists (they sit in article footers). */
const TAG_REGION_NEG_RE =
  /sidebar|side-bar|widget|related|lien-?quan|tinlienquan|comment|binh-?luan|(^|[\s_-])menu|(^|[\s_-])nav|popup|modal|(^|[\s_-])item([\s_-]|$)/;

/**
 * True when an ancestor marks the element as outside the article (related list, sidebar, comments…).
 * The walk stops at the first ancestor that also holds the headline or the content block: a column
 * called "sidebar-1" that holds the article is not a side region.
 */
function inNegativeRegion(el: Element, ctx?: Ctx, re: RegExp = REGION_NEG_RE): boolean {
  let n: AnyNode | null = el;
  for (let i = 0; n && i < 30; i++) {
    if (n.type !== 'tag') break;
    const e = n as Element;
    if (ctx?.mainAncestors.has(e)) return false;
    if (e.name === 'aside' || e.name === 'nav' || (e.name === 'footer' && re === REGION_NEG_RE)) return true;
    if (e.name === 'a' && i > 0) return true;
    const c = classOf(e);
    if (c && re.test(c)) return true;
    n = e.parent;
  }
  return false;
}

function safeSelect($: CheerioAPI, selector: string | undefined): Element[] {
  if (!selector) return [];
  try {
    return $(selector).toArray() as Element[];
  } catch (err) {
    log.debug({ selector, err: String(err) }, 'extract: bad selector');
    return [];
  }
}

interface Ctx {
  $: CheerioAPI;
  /** Every element of the page in document order, by tag and by subtree (see dom-index.ts). */
  index: DomIndex;
  url: string;
  meta: Meta;
  ld: LdInfo;
  stats: Map<Element, Stats>;
  body: Element;
  h1: Element | null;
  siteNames: string[];
  now: Date | undefined;
  missing: Record<string, string>;
  /** The headline, the content block and all their ancestors. */
  mainAncestors: Set<Element>;
}

function orderOf(ctx: Ctx, el: Element): number {
  return ctx.stats.get(el)?.order ?? -1;
}

// ───────────────────────────── title ─────────────────────────────

const SEPARATORS = [' | ', ' - ', ' – ', ' — ', ' :: ', ' » ', ' · ', ' / '];

function hostBrand(url: string): string {
  try {
    const h = new URL(url).hostname.replace(/^(www|m|amp)\./, '');
    return h.split('.')[0] ?? '';
  } catch {
    return '';
  }
}

/** Strip " - Outlet" / " | Outlet" when the tail is the site's name (or looks like an outlet name). */
export function stripSiteSuffix(title: string, siteNames: string[], url: string, h1?: string | null): string {
  let t = cleanText(title);
  const brand = compareKey(hostBrand(url)).replace(/ /g, '');
  const names = siteNames.map((n) => compareKey(n)).filter(Boolean);
  for (let round = 0; round < 2; round++) {
    let cut = false;
    for (const sep of SEPARATORS) {
      const i = t.lastIndexOf(sep);
      if (i <= 0) continue;
      const head = t.slice(0, i).trim();
      const tail = t.slice(i + sep.length).trim();
      if (!head || !tail) continue;
      const kt = compareKey(tail);
      const ktn = kt.replace(/ /g, '');
      const isSite =
        names.some((n) => n === kt || n.includes(kt) || kt.includes(n)) ||
        (brand.length >= 3 && (ktn.includes(brand) || (ktn.length >= 4 && brand.includes(ktn)))) ||
        (kt.split(' ').length <= 6 &&
          /^(bao|tap chi|dai|cong thong tin|trang thong tin|kenh|truyen hinh|dien tu|tin tuc|online|news)\b|\b(online|dien tu|news|\.vn|\.com|\.net)$/.test(
            kt,
          )) ||
        (!!h1 && compareKey(head) === compareKey(h1)) ||
        // "Headline | Outlet": a pipe almost always introduces the site name
        (sep === ' | ' && kt.split(' ').length <= 6 && compareKey(head).split(' ').length >= 4);
      if (isSite) {
        t = head;
        cut = true;
        break;
      }
    }
    if (!cut) break;
  }
  // leading "Outlet | Title"
  for (const sep of [' | ', ' - ']) {
    const i = t.indexOf(sep);
    if (i <= 0) continue;
    const kt = compareKey(t.slice(0, i));
    if (names.some((n) => n === kt) || (brand.length >= 3 && kt.replace(/ /g, '') === brand))
      t = t.slice(i + sep.length).trim();
  }
  return t;
}

const HEADLINE_SEL = compileSelector(
  '[itemprop="headline"], .title-detail, .detail-title, .article-title, .article__title, .post-title, .entry-title, .news-title, .content-detail-title, .title-page, .the-article-title, .detail__title, h2.title, [class*="title_news"], [class*="titlenews"], [class*="title-news"], [class*="news_title"], .title, [class*="tieude"], [class*="tieu-de"], [class*="tieu_de"], [class*="TieuDe"]',
);

function pickH1(index: DomIndex, hints: string[]): Element | null {
  let h1s = (index.byTag.get('h1') ?? []).filter((e) => {
    const t = textOf(e, 600);
    return t.length >= 8 && !/logo|brand|site-?name/.test(classOf(e));
  });
  if (h1s.length === 0) {
    h1s = selectIn(index, HEADLINE_SEL).filter(
      (e) => e.name !== 'meta' && e.name !== 'a' && textOf(e, 600).length >= 8 && !inNegativeRegion(e),
    );
  }
  if (h1s.length === 0) return null;
  if (h1s.length === 1 || hints.length === 0) return h1s[0]!;
  let best = h1s[0]!;
  let bestScore = -1;
  for (const e of h1s) {
    const t = textOf(e, 600);
    let sc = 0;
    for (const h of hints) sc = Math.max(sc, wordCoverage(t, h) + wordCoverage(h, t));
    if (sc > bestScore) {
      bestScore = sc;
      best = e;
    }
  }
  return best;
}

function extractTitle(
  ctx: Ctx,
  overrides: SiteOverrides | undefined,
  docTitle: string | null,
): string | null {
  const { $, meta, ld } = ctx;
  if (overrides?.title) {
    const el = safeSelect($, overrides.title)[0];
    const t = el ? textOf(el, 1000) : '';
    if (t) return t;
  }
  const h1 = ctx.h1 ? textOf(ctx.h1, 1000) : null;
  const isSiteName = (t: string): boolean => ctx.siteNames.some((n) => compareKey(n) === compareKey(t));
  const candidates: Array<string | null> = [
    ld.article?.headline ?? null,
    (() => {
      const og = metaFirst(meta, 'og:title', 'twitter:title');
      return og ? stripSiteSuffix(og, ctx.siteNames, ctx.url, h1) : null;
    })(),
    h1,
    docTitle ? stripSiteSuffix(docTitle, ctx.siteNames, ctx.url, h1) : null,
    metaFirst(meta, 'title', 'dc.title'),
  ];
  for (const c of candidates) {
    const t = cleanText(c);
    if (!t || t.length < 4 || isSiteName(t)) continue;
    // a truncated headline ("…") when the page shows the full one
    if (h1 && h1.length > t.length && sameOrPrefix(t, h1, 0.5) && t !== h1) return h1;
    return t;
  }
  ctx.missing['title'] = 'no JSON-LD headline, og:title, <h1> or <title>';
  return null;
}

// ───────────────────────────── sapo ─────────────────────────────

function findSapoElement(ctx: Ctx, roots: Element[], overrides: SiteOverrides | undefined): Element | null {
  const { $ } = ctx;
  if (overrides?.sapo) {
    const el = safeSelect($, overrides.sapo)[0];
    if (el && textOf(el, 3000)) return el;
  }
  const h1Order = ctx.h1 ? orderOf(ctx, ctx.h1) : -1;
  const rootText = roots.reduce((a, r) => a + (ctx.stats.get(r)?.text ?? 0), 0);
  const found: Array<{ el: Element; score: number }> = [];
  for (const [el, s] of ctx.stats) {
    if (el.type !== 'tag' || s.text < 30 || s.text > 2500) continue;
    const c = classOf(el);
    const itemprop = el.attribs?.['itemprop'];
    if (!(c && SAPO_CLASS_RE.test(c)) && itemprop !== 'description') continue;
    if (el.name === 'meta' || el.name === 'a' || el.name === 'li' || el.name === 'ul' || el.name === 'img')
      continue;
    if (
      /(^|[\s_-])(item|list|box|card|thumb)([\s_-]|$)|related|meta-?desc|image|img|photo|caption|pic|video/.test(
        c,
      ) &&
      !/sapo/.test(c)
    )
      continue;
    if (s.link / s.text > 0.5) continue;
    if (roots.some((r) => r === el || contains(el, r))) continue;
    if (s.text > rootText * 0.6 && rootText > 0 && roots.some((r) => contains(r, el))) continue;
    if (inNegativeRegion(el, ctx)) continue;
    const o = s.order;
    let score = 0;
    if (h1Order >= 0) score = o > h1Order ? 1000 - Math.min(999, o - h1Order) : -Math.min(999, h1Order - o);
    if (/sapo|chapeau|chappeau|lead/.test(c)) score += 50;
    found.push({ el, score });
  }
  if (found.length === 0) return null;
  found.sort((a, b) => b.score - a.score);
  // drop a wrapper when an inner element also matched
  const best = found[0]!.el;
  return best;
}

// ───────────────────────────── paragraphs ─────────────────────────────

const NAME_WORD_RE = /^[\p{Lu}][\p{L}'’.]*$/u;
const BYLINE_PREFIX_RE =
  /^(?:bài\s*(?:và|,|&)?\s*ảnh|bài|ảnh|tác giả|người viết|phóng viên|nhóm phóng viên|nhóm pv|ghi chép|thực hiện|tin|tin\s*,?\s*ảnh|tin và ảnh|by|viết bởi|đăng bởi|biên tập)\s*[:\-–]\s*/iu;

/** "Minh Khoa", "Bài và ảnh: Thu Hà", "Lê Vy - Minh Anh (TTXVN)", "NGUYỄN VĂN A", "PV". */
export function looksLikeByline(text: string): boolean {
  let t = cleanText(text);
  if (!t || t.length > 70) return false;
  t = t.replace(BYLINE_PREFIX_RE, '');
  t = t.replace(/\s*\((?:[^()]{1,40})\)\s*\.?$/u, '').replace(/[.\s]+$/u, '');
  if (!t) return false;
  if (/^(pv|nhóm pv|ctv|btv|nhóm phóng viên)$/iu.test(t)) return true;
  if (/[!?;:"“”]|\d{3,}/u.test(t)) return false;
  const names = t.split(/\s*(?:[-–,&/]|\svà\s)\s*/u).filter(Boolean);
  if (names.length === 0 || names.length > 4) return false;
  for (const n of names) {
    const ws = n.split(/\s+/);
    if (ws.length > 5) return false;
    if (!ws.every((w) => NAME_WORD_RE.test(w) || /^[\p{Lu}\d.]{2,}$/u.test(w))) return false;
  }
  return true;
}

export function cleanAuthor(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let t = cleanText(raw);
  t = t.replace(/\S+@\S+\.\S+/g, ' ').replace(/https?:\/\/\S+/g, ' ');
  t = t.replace(BYLINE_PREFIX_RE, '');
  t = t.replace(/^(theo|nguồn)\s*:?\s+/iu, '');
  // cut at a date or a separator followed by a date/time
  t = t.replace(/\s*[|•·]\s*.*$/u, '');
  t = t.replace(/\s*[-–,]?\s*(thứ\s+\S+|chủ nhật|\d{1,2}[/:-]\d{1,2}).*$/iu, '');
  t = t.replace(/^[\s\-–,:.]+|[\s\-–,:]+$/gu, '');
  t = cleanText(t);
  if (!t || t.length > 100 || t.length < 2) return null;
  if (
    /^(admin|administrator|editor|biên tập viên|ban biên tập|quản trị|user|guest|unknown|null|undefined)$/iu.test(
      t,
    )
  )
    return null;
  return t;
}

interface BodyResult {
  paras: string[];
  trailingAuthor: string | null;
  sourceLine: string | null;
}

function isDateLine(t: string): boolean {
  if (t.length > 80) return false;
  const r = parseViDateDetailed(t, { now: new Date(0) });
  if (!r.ok) return false;
  // mostly date: few words besides
  return (
    t
      .replace(/[\d/:.,()\-+|]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .split(' ').length <= 8
  );
}

function filterParagraphs(paras: Para[], ctx: Ctx, title: string | null): BodyResult {
  const kept: Para[] = [];
  for (const p of paras) {
    const t = p.text;
    const f = foldedStart(t, 200);
    const len = t.length;
    if (len < 2) continue;
    if (/^[\s\p{P}\p{S}]+$/u.test(t)) continue;
    if (len < 300 && RELATED_LINE_RE.test(f)) continue;
    if (len < 160 && SHARE_LINE_RE.test(f)) continue;
    if (len < 400 && TAG_LINE_RE.test(f)) continue;
    if (len < 250 && CAPTION_LINE_RE.test(f)) continue;
    if (len < 200 && PLAYER_RE.test(f)) continue;
    if (len < 300 && p.link >= 0.8) continue;
    if (p.hasImg && len < 250) continue;
    if (p.captionClass && len < 300) continue;
    // the alignment walks up the ancestors: only looked at for short lines that might be captions
    let align: ReturnType<typeof alignmentOf> | undefined;
    const alignment = () => (align === undefined ? (align = alignmentOf(p.el)) : align);
    if (
      p.afterImage &&
      len < 300 &&
      (p.italic >= 0.6 || alignment() === 'center' || /^\(?\s*(ảnh|nguồn)/iu.test(t))
    )
      continue;
    if (len < 250 && p.italic >= 0.8 && alignment() === 'center') continue;
    if (/^\(?\s*ảnh\s*(minh\s*họa|minh\s*hoạ)?\s*:?[^.]{0,60}\)?\.?$/iu.test(t) && len < 80) continue;
    kept.push(p);
  }
  // repeated paragraphs (mobile/desktop duplicates)
  const seen = new Set<string>();
  const uniq: Para[] = [];
  for (const p of kept) {
    const k = compareKey(p.text);
    if (k.length > 20 && seen.has(k)) continue;
    seen.add(k);
    uniq.push(p);
  }
  // leading noise: title repeated, dates, bylines printed above the text
  while (uniq.length > 0) {
    const t = uniq[0]!.text;
    if (
      (title && compareKey(t) === compareKey(title)) ||
      isDateLine(t) ||
      (uniq.length > 1 && t.length < 60 && /^(bài\s*(và|,)?\s*ảnh|tác giả|pv)\s*:/iu.test(t))
    ) {
      uniq.shift();
      continue;
    }
    break;
  }
  // trailing noise: byline, "Theo …"/"Nguồn: …", dates
  let trailingAuthor: string | null = null;
  let sourceLine: string | null = null;
  const tail: Para[] = [];
  for (let guard = 0; guard < 6 && uniq.length > 0; guard++) {
    const last = uniq[uniq.length - 1]!;
    const t = last.text;
    const f = fold(t);
    if (t.length <= 90 && /^\(?\s*(theo|nguon)\b\s*:?\s*\S/.test(f) && !/[.!?]\s+\S/.test(t)) {
      // "Theo TTXVN" / "Nguồn: VTV" is printed text of the article: it stays in the body, and a byline
      // above it may still be removed
      sourceLine ??= cleanText(t.replace(/^\(|\)$/g, '').replace(/^(theo|nguồn)\s*:?\s*/iu, ''));
      tail.unshift(uniq.pop()!);
      continue;
    }
    if (isDateLine(t)) {
      uniq.pop();
      continue;
    }
    // "Name" then an affiliation line ("Học viện …", "Đại học …"), both set apart at the end
    if (uniq.length > 2 && t.length <= 100 && !/[.!?…:]$/.test(t) && !looksLikeByline(t)) {
      const prev = uniq[uniq.length - 2]!;
      const alignLast = alignmentOf(last.el);
      const alignPrev = alignmentOf(prev.el);
      if (
        (alignLast === 'right' || last.italic >= 0.8) &&
        looksLikeByline(prev.text) &&
        (prev.bold >= 0.6 || alignPrev === 'right')
      ) {
        trailingAuthor ??= cleanAuthor(prev.text);
        uniq.pop();
        uniq.pop();
        continue;
      }
    }
    if (looksLikeByline(t) && uniq.length > 1) {
      const align = alignmentOf(last.el);
      const strong =
        last.bold >= 0.6 ||
        last.italic >= 0.6 ||
        align === 'right' ||
        t.length <= 40 ||
        BYLINE_PREFIX_RE.test(t);
      if (strong) {
        trailingAuthor ??= cleanAuthor(t);
        uniq.pop();
        continue;
      }
    }
    break;
  }
  uniq.push(...tail);
  return { paras: uniq.map((p) => p.text), trailingAuthor, sourceLine };
}

function paragraphsFromLdBody(raw: string): string[] {
  if (/<\/?(p|div|br)\b/i.test(raw)) {
    try {
      const $ = load(raw, null, false);
      const root = $.root()[0] as unknown as Element;
      const stats = computeStats(root);
      const paras = collectParagraphs([root], stats, { blockText: stats.get(root)?.text ?? 0 });
      return paras.map((p) => p.text);
    } catch {
      // fall through
    }
  }
  return raw
    .replace(/\r/g, '')
    .split(/\n+|\\n/)
    .map((s) => htmlToText(s))
    .filter((s) => s.length > 0);
}

// ───────────────────────────── dates ─────────────────────────────

interface DateOutcome {
  iso: string | null;
  precision: 'minute' | 'day' | null;
  reason: string | null;
}

type DateCandidate = [string, string | null | undefined];

/**
 * The first candidate that parses (and is not in the future) wins. A function in the list stands for
 * candidates that are costly to find (visible dates): they are only looked for when reached.
 */
function tryDates(ctx: Ctx, candidates: Array<DateCandidate | (() => DateCandidate[])>): DateOutcome {
  const reasons: string[] = [];
  const limit = ctx.now ? ctx.now.getTime() + 2 * 86_400_000 : Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    for (const [source, raw] of typeof c === 'function' ? c() : [c]) {
      if (!raw || !raw.trim()) continue;
      const r: DateParseResult = parseViDateDetailed(raw, ctx.now ? { now: ctx.now } : {});
      if (!r.ok) {
        reasons.push(`${source}: ${r.reason}`);
        continue;
      }
      if (Date.parse(r.iso) > limit) {
        reasons.push(`${source}: ${r.iso} is in the future`);
        continue;
      }
      return { iso: r.iso, precision: r.precision, reason: null };
    }
  }
  return { iso: null, precision: null, reason: reasons.length ? reasons.slice(0, 3).join('; ') : null };
}

const DATE_CLASS_RE =
  /date|time|publish|(^|[\s_-])ngay|ngay-?dang|ngaydang|thoi-?gian|thoigian|posted|created|(^|[\s_-])(meta|info|detail-?info|post-?info|article-?info)([\s_-]|$)/;

const DATE_IN_TEXT_RE =
  /(?:\d{1,2}[:h]\d{2}[^\d]{0,20})?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}(?:[^\d]{0,12}\d{1,2}[:h]\d{2})?/;

function visibleDateCandidates(ctx: Ctx, roots: Element[]): Array<[string, string]> {
  const h1Order = ctx.h1 ? orderOf(ctx, ctx.h1) : -1;
  const rootOrder = roots.length ? orderOf(ctx, roots[0]!) : -1;
  const anchor = h1Order >= 0 ? h1Order : rootOrder;
  const found: Array<{ text: string; dist: number; src: string }> = [];
  for (const [el, s] of ctx.stats) {
    if (el.type !== 'tag') continue;
    const isTime = el.name === 'time';
    const c = classOf(el);
    const role = el.attribs?.['data-role'] ?? '';
    if (
      !isTime &&
      !(c && DATE_CLASS_RE.test(c)) &&
      !/date|time/.test(role) &&
      el.attribs?.['itemprop'] !== 'datePublished'
    )
      continue;
    if (s.text > 160 && !isTime) continue;
    if (inNegativeRegion(el, ctx)) continue;
    const attr = el.attribs?.['datetime'] ?? el.attribs?.['content'] ?? el.attribs?.['data-time'] ?? null;
    const text = attr && /\d{4}-\d{2}-\d{2}/.test(attr) ? attr : textOf(el, 300);
    if (!text || !/\d/.test(text)) continue;
    if (/cập nhật|update/i.test(text) && !/đăng|xuất bản|publish/i.test(text)) {
      // an "updated" stamp: weaker than the publication stamp
      found.push({
        text,
        dist: 5000 + Math.abs(s.order - anchor),
        src: `visible .${c.split(' ')[0] ?? el.name}`,
      });
      continue;
    }
    const dist = anchor >= 0 ? (s.order >= anchor ? s.order - anchor : (anchor - s.order) * 2 + 50) : s.order;
    found.push({ text, dist, src: `visible ${el.name}.${(c.split(' ')[0] ?? '').slice(0, 30)}` });
  }
  found.sort((a, b) => a.dist - b.dist);
  const out: Array<[string, string]> = found.slice(0, 8).map((f) => [f.src, f.text]);
  // around the headline: dates printed in plain text next to it
  if (ctx.h1) {
    let n: Element | null = ctx.h1.parent && ctx.h1.parent.type === 'tag' ? (ctx.h1.parent as Element) : null;
    for (let i = 0; n && i < 3; i++) {
      const t = textOf(n, 4000);
      const m = DATE_IN_TEXT_RE.exec(t);
      if (m) {
        out.push(['text near headline', m[0]]);
        break;
      }
      n = n.parent && n.parent.type === 'tag' ? (n.parent as Element) : null;
    }
  }
  // the first lines of the content block ("Ngày đăng: 20/11/2026" printed above the text)
  if (roots[0]) {
    const t = textOf(roots[0], 800).slice(0, 400);
    const m = DATE_IN_TEXT_RE.exec(t);
    if (m && m.index < 60) out.push(['text at the top of the article', m[0]]);
  }
  return out;
}

// ───────────────────────────── author ─────────────────────────────

const AUTHOR_CLASS_RE =
  /(^|[\s_-])(author|authors|author-?name|author_mail|tac-?gia|tacgia|byline|by-?line|writer|nguoi-?viet|name-?author|detail-?author|article__author|the-article-author|post-?author|author-?info|author-?wrap|fullname|bylines?)([\s_-]|$)|author/;

function visibleAuthor(ctx: Ctx, roots: Element[]): string | null {
  const h1Order = ctx.h1 ? orderOf(ctx, ctx.h1) : -1;
  const found: Array<{ name: string; dist: number }> = [];
  for (const [el, s] of ctx.stats) {
    if (el.type !== 'tag' || s.text === 0 || s.text > 200) continue;
    const c = classOf(el);
    const isAuthor =
      (c && AUTHOR_CLASS_RE.test(c)) ||
      el.attribs?.['rel'] === 'author' ||
      el.attribs?.['itemprop'] === 'author';
    if (!isAuthor) continue;
    if (/avatar|img|image|photo|box-?author-?(list|more)|author-?(list|more|bio|desc|intro)/.test(c))
      continue;
    if (inNegativeRegion(el, ctx)) continue;
    // prefer the innermost name element
    let nameEl: Element = el;
    const inner = (el.children ?? []).filter((k): k is Element => k.type === 'tag');
    const named = inner.find((k) => /name|ten/.test(classOf(k)) || k.attribs?.['itemprop'] === 'name');
    if (named) nameEl = named;
    const name = cleanAuthor(textOf(nameEl, 300));
    if (!name || words(name).length > 12) continue;
    if (ctx.siteNames.some((n) => compareKey(n) === compareKey(name))) continue;
    const inRoots = roots.some((r) => contains(r, el));
    const o = s.order;
    const dist = h1Order >= 0 ? Math.abs(o - h1Order) + (inRoots ? 0 : 10) : o;
    found.push({ name, dist });
  }
  found.sort((a, b) => a.dist - b.dist);
  return found[0]?.name ?? null;
}

// ───────────────────────────── image ─────────────────────────────

const BAD_IMAGE_RE =
  /(^|[/_.-])(logo|default|no-?image|noimage|placeholder|blank|spacer|pixel|avatar|icon|favicon|share-?fb|fb-?share|og-?default|og-?image-?default)([/_.-]|$)/i;

function imgSrc(el: Element): string | null {
  const a = el.attribs ?? {};
  const cand =
    a['data-src'] ??
    a['data-original'] ??
    a['data-lazy-src'] ??
    a['data-lazy'] ??
    a['data-url'] ??
    a['src'] ??
    null;
  if (cand && !/^data:/i.test(cand) && cand.trim()) return cand.trim();
  const set = a['data-srcset'] ?? a['srcset'];
  if (set) {
    const first = set.split(',')[0]?.trim().split(/\s+/)[0];
    if (first) return first;
  }
  return null;
}

function imageKey(u: string): string {
  let p = u;
  try {
    p = new URL(u, 'http://x/').pathname;
  } catch {
    // keep
  }
  const base = (p.split('/').pop() ?? '').toLowerCase();
  return base
    .replace(/\.(jpe?g|png|webp|gif|avif|bmp)$/, '')
    .replace(/[-_]?crop[-_]?\d*/g, '')
    .replace(/[-_]\d{2,4}x\d{2,4}$/g, '')
    .replace(/^(thumb|crop|resize)[-_]/, '');
}

const CAPTION_SEL = compileSelector(
  'figcaption, [class*="caption"], [class*="Caption"], .image_desc, .img-desc, .desc, p.Image, td.image_desc, .chu-thich, .note, .PhotoCMS_Caption',
);
const IMG_SEL = compileSelector('img, amp-img');
const IMAGE_SRC_SEL = compileSelector('link[rel="image_src"]');
const ITALIC_SEL = compileSelector('em, i');

function ancestors(el: Element, max: number): Element[] {
  const out: Element[] = [];
  let n: AnyNode | null = el.parent;
  while (n && n.type === 'tag' && out.length < max) {
    out.push(n as Element);
    n = n.parent;
  }
  return out;
}

function captionFor(img: Element, ctx: Ctx): string | null {
  const ups = ancestors(img, 6);
  const captionIn = (box: Element): string | null =>
    findIn(ctx.index, box, CAPTION_SEL)
      .map((e) => textOf(e, 600))
      .find((t) => t.length > 0) ?? null;
  const fig = ups.find((a) => a.name === 'figure');
  if (fig) return captionIn(fig);
  const box = ups.find((a) =>
    /(^|[\s_-])(figure|image|img|photo|pic|tplcaption|expnoedit|wp-caption|vcsortableinpreviewmode)([\s_-]|$)/i.test(
      a.attribs?.['class'] ?? '',
    ),
  );
  if (box) {
    const c = captionIn(box);
    if (c) return c;
  }
  const table = ups.find((a) => a.name === 'table');
  if (table && (ctx.stats.get(table)?.text ?? 1000) < 400) {
    const t = textOf(table, 600);
    if (t) return t;
  }
  const block = ups.find((a) => a.name === 'p' || a.name === 'div' || a.name === 'td');
  if (block) {
    const own = textOf(block, 600);
    if (own && own.length < 300 && block.name === 'p') return own;
  }
  for (const from of block ? [img, block] : [img]) {
    let sib = from.next;
    while (sib && sib.type === 'text' && !(sib as unknown as { data: string }).data.trim()) sib = sib.next;
    if (sib && sib.type === 'tag') {
      const el = sib as Element;
      const t = textOf(el, 600);
      const ital =
        findIn(ctx.index, el, ITALIC_SEL).reduce((n, e) => n + textContent(e).length, 0) >= t.length * 0.6 ||
        el.name === 'em' ||
        el.name === 'i';
      if (
        t &&
        t.length < 300 &&
        (ital || alignmentOf(el) === 'center' || /caption|chu-?thich/i.test(classOf(el)))
      )
        return t;
    }
  }
  return null;
}

function extractImage(ctx: Ctx, roots: Element[]): ArticleImageOut {
  const { meta, ld, index } = ctx;
  const metaImg = metaRawFirst(
    meta,
    'og:image',
    'og:image:url',
    'og:image:secure_url',
    'twitter:image',
    'twitter:image:src',
  );
  const linkImg = selectIn(index, IMAGE_SRC_SEL)[0]?.attribs['href'] ?? null;
  const candidates = [metaImg, ld.article?.image?.url ?? null, linkImg];
  let url: string | null = null;
  for (const c of candidates) {
    const r = resolveUrl(c, ctx.url);
    if (r && !BAD_IMAGE_RE.test(new URL(r).pathname)) {
      url = r;
      break;
    }
  }
  const imgs = roots.flatMap((r) => findIn(index, r, IMG_SEL));
  const usableOf = (list: Element[]): Element[] =>
    list.filter((i) => {
      const s = imgSrc(i);
      if (!s) return false;
      const w = Number(i.attribs['width'] ?? '0');
      if (w > 0 && w < 120) return false;
      return !BAD_IMAGE_RE.test(s);
    });
  const usable = usableOf(imgs);
  if (url) {
    const key = imageKey(url);
    let caption: string | null = null;
    const same = (i: Element): boolean => {
      const k = imageKey(imgSrc(i)!);
      return k === key || (k.length >= 8 && (k.includes(key) || key.includes(k)));
    };
    let match = key.length >= 5 ? usable.find(same) : undefined;
    if (!match && key.length >= 5) {
      match = usableOf(selectIn(index, IMG_SEL)).find(
        (i) => same(i) && !inNegativeRegion(i, ctx),
      );
    }
    if (match) caption = captionFor(match, ctx);
    if (!caption && ld.article?.image?.url && imageKey(ld.article.image.url) === key)
      caption = ld.article.image.caption;
    if (!caption)
      ctx.missing['image.caption'] = match
        ? 'the image has no caption'
        : 'the lead image is not shown in the article body';
    return { url, caption: caption ? cleanText(caption) : null };
  }
  const first = usable[0];
  if (first) {
    const r = resolveUrl(imgSrc(first), ctx.url);
    if (r) {
      const caption = captionFor(first, ctx);
      if (!caption) ctx.missing['image.caption'] = 'the image has no caption';
      return { url: r, caption };
    }
  }
  ctx.missing['image'] = metaImg
    ? 'og:image is a logo/placeholder and the article has no image'
    : 'no og:image, JSON-LD image or image in the article';
  return null;
}
type ArticleImageOut = { url: string; caption: string | null } | null;

// ───────────────────────────── section, tags ─────────────────────────────

const CATEGORY_CLASS_RE =
  /(^|[\s_-])(cate|category|categories|chuyen-?muc|chuyenmuc|cat|cate-?title|cate-?name|catename|cat-?name|section-?name|parent-?cate|detail-?cate|post-?cat|post-?category|entry-?cat|entry-?category|article__category|sub-?cate|cat-?links|category-?name)([\s_-]|$)/;

const HOME_RE = /^(trang chu|trang nhat|home|homepage|trang chinh|tin tuc|news)$/;

const BREADCRUMB_SEL = compileSelector(
  '[itemtype*="BreadcrumbList"], .breadcrumb, .breadcrumbs, .bread-crumb, .breadcrumb-detail, [class*="breadcrumb"], [id*="breadcrumb"], [class*="bread-crumb"], .duong-dan, .cate-path, .cat-path, .nav-path, .path, .navigation-path, .detail-cate, .header-content .parent-cate',
);
const A_SEL = compileSelector('a');

function breadcrumbItems(ctx: Ctx): string[] {
  if (ctx.ld.breadcrumbs.length) return ctx.ld.breadcrumbs;
  const { index } = ctx;
  const boxes = selectIn(index, BREADCRUMB_SEL);
  for (const b of boxes) {
    if (inNegativeRegion(b, ctx, TAG_REGION_NEG_RE)) continue;
    const items = findIn(index, b, A_SEL)
      .map((a) => textOf(a, 200))
      .filter((t) => t && t.length <= 60);
    const last = elementChildren(b).at(-1);
    if (last && last.name !== 'a' && findIn(index, last, A_SEL).length === 0) {
      const t = textOf(last, 300);
      if (t && !items.includes(t)) items.push(t);
    }
    if (items.length) return items;
  }
  return [];
}

function extractSection(ctx: Ctx, overrides: SiteOverrides | undefined, title: string | null): string | null {
  if (overrides?.section) {
    const el = safeSelect(ctx.$, overrides.section)[0];
    const t = el ? textOf(el, 300) : '';
    if (t) return t;
  }
  const fromMeta = metaFirst(
    ctx.meta,
    'article:section',
    'og:article:section',
    'section',
    'article-section',
    'cxenseparse:pageclass-section',
  );
  if (fromMeta) return fromMeta;
  if (ctx.ld.article?.section) return ctx.ld.article.section;
  const items = breadcrumbItems(ctx)
    .map((t) => cleanText(t.replace(/^[›»>/|\s]+|[›»>/|\s]+$/g, '')))
    .filter((t) => t && !HOME_RE.test(compareKey(t)));
  const rest = title
    ? items.filter((t) => !sameOrPrefix(t, title, 0.5) && wordCoverage(t, title) < 0.9)
    : items;
  if (rest.length) return rest[0]!;
  // visible category label near the headline
  const anchor = ctx.h1 ? orderOf(ctx, ctx.h1) : -1;
  let bestCat: { t: string; d: number } | null = null;
  for (const [el, st] of ctx.stats) {
    if (el.type !== 'tag' || st.text === 0 || st.text > 60) continue;
    const c = classOf(el);
    if (!(c && CATEGORY_CLASS_RE.test(c)) && el.attribs?.['rel'] !== 'category tag') continue;
    if (inNegativeRegion(el, ctx)) continue;
    const a = findIn(ctx.index, el, A_SEL)[0];
    const t = cleanText(textOf(a ?? el, 200).replace(/^[›»>/|\s]+|[›»>/|\s]+$/g, ''));
    if (!t || t.length > 50 || HOME_RE.test(compareKey(t))) continue;
    const d = anchor >= 0 ? Math.abs(st.order - anchor) : st.order;
    if (anchor >= 0 && d > 400) continue;
    if (!bestCat || d < bestCat.d) bestCat = { t, d };
  }
  if (bestCat) return bestCat.t;
  ctx.missing['section'] = 'no article:section, JSON-LD articleSection or breadcrumb';
  return null;
}

const TAG_BOX_RE =
  /(^|[\s_-])(tags?|tag-?list|list-?tags?|tags-?list|box-?tags?|tag-?box|detail-?tags?|article-?tags?|post-?tags?|entry-?tags?|keywords?|tu-?khoa|tukhoa|the-?tag|tag-?wrap|tags-?wrap|tag-?items?|news-?tags?|taglist|tag-?links|detail__tags?|article__tags?|tags-?container|list-?keyword|tag-?detail)([\s_-]|$)/;

const CLASS_TAG_SEL = compileSelector('[class*="tag"]');
const REL_TAG_SEL = compileSelector('a[rel~="tag"]');
const CANONICAL_SEL = compileSelector('link[rel~="canonical"]');

function cleanTags(list: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of list) {
    const t = cleanText(raw.replace(/^#/, '').replace(/^(tags?|từ khóa|từ khoá|chủ đề)\s*:\s*/iu, ''));
    if (!t || t.length > 80) continue;
    const k = compareKey(t);
    if (!k || seen.has(k) || /^(tags?|tu khoa|chu de|keywords?)$/.test(k)) continue;
    seen.add(k);
    out.push(t);
    if (out.length >= 40) break;
  }
  return out;
}

const GENERIC_TAG_RE =
  /^(tin tuc|tin moi|tin nong|tin nhanh|su kien|thoi su|bao|bao dien tu|bao moi|doc bao|news|video|hinh anh|anh|clip|trang chu|cong thong tin( dien tu)?|trang thong tin( dien tu)?|tin tuc su kien|tin trong nuoc|tin the gioi|online|24h)$/;

function extractTags(
  ctx: Ctx,
  overrides: SiteOverrides | undefined,
  roots: Element[],
  text: string,
): string[] {
  const { $, meta, ld, index } = ctx;
  if (overrides?.tags) {
    const t = cleanTags(safeSelect($, overrides.tags).map((e) => textOf(e, 200)));
    if (t.length) return t;
  }
  const articleTags = cleanTags(
    (meta.get('article:tag') ?? []).flatMap((v) => htmlToText(v).split(/\s*,\s*/)),
  );
  if (articleTags.length) return articleTags;
  // visible tag list, nearest after the content start
  const startOrder = roots.length ? orderOf(ctx, roots[0]!) : 0;
  let best: { tags: string[]; dist: number } | null = null;
  const seenBoxes = new Set<Element>();
  for (const [tagged, st0] of ctx.stats) {
    if (tagged.type !== 'tag' || st0.text === 0) continue;
    const c0 = classOf(tagged);
    if (!c0 || !TAG_BOX_RE.test(c0)) continue;
    // <a class="tag-item"> inside an unnamed box: the box is its parent
    const el = tagged.name === 'a' && tagged.parent?.type === 'tag' ? (tagged.parent as Element) : tagged;
    if (seenBoxes.has(el)) continue;
    seenBoxes.add(el);
    const s = ctx.stats.get(el) ?? st0;
    const c = classOf(el);
    if (
      /sidebar|cloud|widget|hot-?tags?|tag-?hot|trending|menu/.test(c) ||
      inNegativeRegion(el, ctx, TAG_REGION_NEG_RE)
    )
      continue;
    if (el === tagged && ancestors(el, 3).some((a) => TAG_BOX_RE.test(classOf(a)))) continue;
    let links = findIn(index, el, A_SEL);
    if (links.length === 0)
      links = findIn(index, el, CLASS_TAG_SEL).filter(
        (e) => e.name === 'span' || e.name === 'li',
      );
    if (links.length === 0 || links.length > 40) continue;
    const tags = cleanTags(links.map((a) => textOf(a, 200)));
    if (!tags.length) continue;
    const dist = s.order >= startOrder ? s.order - startOrder : (startOrder - s.order) * 3;
    if (!best || dist < best.dist) best = { tags, dist };
  }
  if (best) return best.tags;
  const relTags = cleanTags(
    selectIn(index, REL_TAG_SEL)
      .filter((e) => !inNegativeRegion(e, ctx, TAG_REGION_NEG_RE))
      .map((a) => textOf(a, 200)),
  );
  if (relTags.length) return relTags;
  if (ld.article?.keywords.length) return cleanTags(ld.article.keywords);
  const news = metaFirst(meta, 'news_keywords');
  if (news) return cleanTags(news.split(/\s*[,;]\s*/));
  // plain "keywords" are often site-wide SEO lists: keep the ones the article itself uses
  const kw = metaFirst(meta, 'keywords');
  if (kw) {
    const hay = ` ${compareKey(text)} `;
    const site = ctx.siteNames.map((n) => compareKey(n));
    return cleanTags(kw.split(/\s*[,;]\s*/)).filter((t) => {
      const k = compareKey(t);
      return !GENERIC_TAG_RE.test(k) && !site.includes(k) && hay.includes(` ${k} `);
    });
  }
  return [];
}

// ───────────────────────────── canonical, lang ─────────────────────────────

function pathOf(u: string): string {
  try {
    return new URL(u).pathname;
  } catch {
    return '';
  }
}

function extractCanonical(ctx: Ctx): string {
  const { index, meta, url } = ctx;
  const base = isHttpUrl(url) ? url : '';
  const cands: Array<[string, string | null | undefined]> = [
    ['link rel=canonical', selectIn(index, CANONICAL_SEL)[0]?.attribs['href']],
    ['og:url', metaRawFirst(meta, 'og:url')],
  ];
  const pagePath = pathOf(url);
  for (const [, raw] of cands) {
    const r = resolveUrl(raw, base);
    if (!r) continue;
    if (base && !sameSite(r, base)) continue;
    const p = pathOf(r);
    // CMS bug: every page's canonical is the home page
    if ((p === '/' || p === '') && pagePath.length > 1) continue;
    return normalizeUrl(r);
  }
  return normalizeUrl(url);
}

function extractLang(ctx: Ctx, bodyText: string): string | null {
  const { index, meta, ld } = ctx;
  const html = index.byTag.get('html')?.[0];
  const declared =
    langCode(html?.attribs['lang']) ??
    langCode(html?.attribs['xml:lang']) ??
    langCode(metaRawFirst(meta, 'og:locale')) ??
    langCode(metaRawFirst(meta, 'content-language', 'language', 'dc.language')) ??
    langCode(ld.article?.inLanguage ?? ld.page.inLanguage);
  const detected = bodyText.length >= 200 ? detectLang(bodyText) : null;
  if (detected && declared && detected !== declared) return detected; // templates often keep lang="en"
  if (declared) return declared;
  if (detected) return detected;
  const small = detectLang(bodyText);
  if (small) return small;
  ctx.missing['lang'] = 'no <html lang>/og:locale and too little text to detect';
  return null;
}

// ───────────────────────────── main ─────────────────────────────

const DATE_PUBLISHED_SEL = compileSelector('[itemprop="datePublished"]');
const DATE_MODIFIED_SEL = compileSelector('[itemprop="dateModified"]');

export function extractArticle(html: string, options: ExtractOptions): ExtractedArticle {
  const opts = ExtractOptions.parse(options);
  const overrides = opts.overrides;
  const url = opts.url.trim();
  const missing: Record<string, string> = {};
  const text = typeof html === 'string' ? html : '';
  // A huge page is windowed and re-parsed even when a DOM is given: the DOM of all 10 MB is too slow to walk.
  const reuse = opts.dom !== undefined && text.length <= MAX_HTML;
  const prepared = reuse ? { html: text, ldScripts: ldScriptsOf(text), truncated: false } : prepareHtml(text);
  if (prepared.truncated) log.debug({ url, bytes: html.length }, 'extract: huge page windowed');

  let $: CheerioAPI;
  let index: DomIndex | null = null;
  if (reuse) {
    $ = opts.dom!;
  } else {
    try {
      // htmlparser2 (as crawlee uses) is 4× faster than parse5 and as forgiving with broken markup.
      $ = load(prepared.html, {
        xml: { xmlMode: false, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
      });
    } catch {
      $ = load('');
    }
  }
  // the document node ($.root()[0] without building a cheerio object for it)
  const rootNode: AnyNode = $._root ?? ($.root()[0] as unknown as AnyNode);
  // scripts, styles… of a reused DOM leave the tree in the same pass that indexes it
  if (reuse) index = buildDomIndex(rootNode, { remove: RAW_TAG_SET });
  const removals = overrides?.remove ?? [];
  for (const sel of removals) {
    for (const el of safeSelect($, sel)) $(el).remove();
  }
  if (!index || removals.length > 0) index = buildDomIndex(rootNode);
  const meta = readMeta(index);
  const ld = readJsonLd(prepared.ldScripts, url);
  const stats = computeStats(rootNode);
  const body = index.byTag.get('body')?.[0] ?? index.byTag.get('html')?.[0] ?? null;

  const siteNames = [
    metaFirst(meta, 'og:site_name'),
    metaFirst(meta, 'application-name'),
    metaFirst(meta, 'apple-mobile-web-app-title'),
    metaFirst(meta, 'twitter:site')?.replace(/^@/, '') ?? null,
    ...ld.orgNames,
  ].filter((x): x is string => !!x);
  const titleEl = index.byTag.get('title')?.[0];
  const docTitle = (titleEl && cleanText(textContent(titleEl))) || null;
  const hints = [ld.article?.headline, metaFirst(meta, 'og:title'), docTitle].filter((x): x is string => !!x);
  const h1 = pickH1(index, hints);
  const h1Text = h1 ? textOf(h1, 1000) : '';
  if (docTitle && h1Text) {
    // "<h1 text> | Outlet name": the tail names the site
    for (const sep of SEPARATORS) {
      const i = docTitle.lastIndexOf(sep);
      if (i > 0 && compareKey(docTitle.slice(0, i)) === compareKey(h1Text)) {
        const tail = cleanText(docTitle.slice(i + sep.length));
        if (tail && tail.length <= 80) siteNames.push(tail);
        break;
      }
      const j = docTitle.indexOf(sep);
      if (j > 0 && compareKey(docTitle.slice(j + sep.length)) === compareKey(h1Text)) {
        const head = cleanText(docTitle.slice(0, j));
        if (head && head.length <= 80) siteNames.push(head);
        break;
      }
    }
  }

  const ctx: Ctx = {
    $,
    index,
    url,
    meta,
    ld,
    stats,
    body: body ?? (rootNode as unknown as Element),
    h1,
    siteNames,
    now: opts.now,
    missing,
    mainAncestors: new Set<Element>(),
  };

  const title = extractTitle(ctx, overrides, docTitle);

  // content block
  let roots: Element[] = [];
  if (overrides?.body) roots = safeSelect($, overrides.body);
  if (roots.length === 0 && body) {
    const choice = findContentRoots(body, stats);
    if (choice) roots = choice.roots;
  }
  for (const start of [ctx.h1, roots[0]]) {
    if (!start) continue;
    ctx.mainAncestors.add(start);
    for (const a of ancestors(start, 60)) ctx.mainAncestors.add(a);
  }
  const sapoEl = findSapoElement(ctx, roots, overrides);
  const skip = new Set<Element>();
  if (sapoEl) skip.add(sapoEl);
  if (ctx.h1) skip.add(ctx.h1);
  const blockText = roots.reduce((a, r) => a + (stats.get(r)?.text ?? 0), 0);
  const rawParas = roots.length ? collectParagraphs(roots, stats, { blockText, skip }) : [];
  let bodyRes = filterParagraphs(rawParas, ctx, title);

  // JSON-LD articleBody when the page text is missing (JS-rendered) or much shorter
  const ldBody = ld.article?.articleBody ? paragraphsFromLdBody(ld.article.articleBody) : [];
  const ldLen = ldBody.join(' ').length;
  const domLen = bodyRes.paras.join(' ').length;
  if (ldLen >= 300 && domLen < ldLen * 0.4) {
    const fake = ldBody.map((text) => ({
      text,
      el: ctx.body,
      bold: 0,
      italic: 0,
      link: 0,
      hasImg: false,
      afterImage: false,
      heading: false,
      captionClass: false,
    }));
    bodyRes = filterParagraphs(fake, ctx, title);
  }
  let paras = bodyRes.paras;

  // sapo
  let sapo: string | null = sapoEl
    ? collectParagraphs([sapoEl], stats, { blockText: stats.get(sapoEl)?.text ?? 0 })
        .map((p) => p.text)
        .join(' ') || textOf(sapoEl, 4000)
    : null;
  if (sapo && sapo.length < 20) sapo = null;
  if (!sapo && rawParas.length > 0 && paras.length >= 3) {
    const firstRaw = rawParas.find((p) => p.text === paras[0]);
    if (
      firstRaw &&
      firstRaw.bold >= 0.9 &&
      !firstRaw.heading &&
      paras[0]!.length >= 60 &&
      paras[0]!.length <= 1200
    ) {
      sapo = paras[0]!;
    }
  }
  if (!sapo) {
    const desc =
      ld.article?.description ?? metaFirst(meta, 'og:description', 'description', 'twitter:description');
    if (desc && desc.length >= 20) {
      const bodyWords = new Set(words(paras.join(' ') + ' ' + (title ?? '')));
      const fd = compareKey(desc);
      const siteish =
        siteNames.some((n) => compareKey(n).length >= 4 && fd.includes(compareKey(n))) ||
        /(cong|trang) thong tin|bao dien tu|co quan chu quan|kenh thong tin|tin tuc (moi nhat|nhanh|24h)|cap nhat tin tuc|doc bao/.test(
          fd,
        );
      const related =
        (bodyWords.size < 60 || wordCoverage(desc, bodyWords) >= 0.5) &&
        !(siteish && title && wordCoverage(title, desc) < 0.25);
      if (!related) {
        missing['sapo'] = 'the meta description is not about this article (site-wide text)';
      } else if (title && compareKey(desc) === compareKey(title)) {
        missing['sapo'] = 'no lead paragraph; the meta description only repeats the title';
      } else if (
        paras
          .slice(0, 2)
          .some(
            (p) =>
              sameOrPrefix(desc, p, 0.2) ||
              (p.length > desc.length && compareKey(p).includes(compareKey(desc).replace(/ \S*$/, ''))),
          )
      ) {
        // an excerpt of the body, not a lead of its own
        missing['sapo'] = 'no lead paragraph; the meta description is an excerpt of the first paragraph';
      } else {
        sapo = desc;
      }
    } else {
      missing['sapo'] = 'no lead paragraph (sapo class, bold first paragraph) and no meta description';
    }
  }
  if (sapo) {
    sapo = cleanText(sapo);
    const s = sapo;
    paras = paras.filter((p, i) => {
      if (i > 3) return true;
      if (sameOrPrefix(s, p, 0.5)) return false;
      if (p.length <= s.length * 1.3 && compareKey(p).includes(compareKey(s))) return false;
      return true;
    });
  }
  const bodyText = paras.length ? paras.join('\n\n') : null;
  if (!bodyText) {
    missing['body'] = roots.length
      ? 'the content block holds no article paragraphs'
      : 'no content block found (the text may be rendered by JavaScript)';
  }

  // dates
  let visibleDates: Array<[string, string]> | null = null;
  const visibleDatesOnce = (): Array<[string, string]> => (visibleDates ??= visibleDateCandidates(ctx, roots));
  const pubOverride: DateCandidate[] = [];
  if (overrides?.publishedAt) {
    const el = safeSelect($, overrides.publishedAt.selector)[0];
    if (el)
      pubOverride.push([
        'override',
        overrides.publishedAt.attr ? el.attribs[overrides.publishedAt.attr] : textOf(el, 300),
      ]);
  }
  const itempropDate = selectIn(index, DATE_PUBLISHED_SEL)
    .map((e) => e.attribs['content'] ?? e.attribs['datetime'] ?? textOf(e, 200))
    .find(Boolean);
  const pub = tryDates(ctx, [
    ...pubOverride,
    ['JSON-LD datePublished', ld.article?.datePublished],
    [
      'article:published_time',
      metaRawFirst(
        meta,
        'article:published_time',
        'og:article:published_time',
        'article:published',
        'og:published_time',
      ),
    ],
    [
      'meta pubdate',
      metaRawFirst(
        meta,
        'pubdate',
        'publishdate',
        'publish-date',
        'publish_date',
        'date',
        'dc.date',
        'dc.date.issued',
        'dc.date.created',
        'dcterms.created',
        'dcterms.issued',
        'datepublished',
        'sailthru.date',
        'parsely-pub-date',
        'created',
        'article.published',
        'published_time',
        'release_date',
      ),
    ],
    ['itemprop datePublished', itempropDate],
    ['JSON-LD WebPage datePublished', ld.page.datePublished],
    ...(overrides?.publishedAt || ld.article?.datePublished ? [] : [visibleDatesOnce]),
  ]);
  let publishedAt = pub.iso;
  if (!publishedAt && (ld.article?.datePublished || metaRawFirst(meta, 'article:published_time'))) {
    const vis = tryDates(ctx, visibleDatesOnce());
    if (vis.iso) {
      publishedAt = vis.iso;
      pub.precision = vis.precision;
    }
  }
  if (!publishedAt)
    missing['publishedAt'] = pub.reason ?? 'no publication date in JSON-LD, meta tags or the page';
  else if (pub.precision === 'day')
    missing['publishedAt.time'] = 'the page gives only the date; time set to 00:00 +07:00';

  const itempropMod = selectIn(index, DATE_MODIFIED_SEL)
    .map((e) => e.attribs['content'] ?? e.attribs['datetime'] ?? textOf(e, 200))
    .find(Boolean);
  const mod = tryDates(ctx, [
    ['JSON-LD dateModified', ld.article?.dateModified],
    [
      'article:modified_time',
      metaRawFirst(
        meta,
        'article:modified_time',
        'og:updated_time',
        'og:article:modified_time',
        'article:updated_time',
        'modified_time',
      ),
    ],
    [
      'meta lastmod',
      metaRawFirst(
        meta,
        'lastmod',
        'last-modified',
        'dc.date.modified',
        'dcterms.modified',
        'datemodified',
        'revised',
        'updated',
      ),
    ],
    ['itemprop dateModified', itempropMod],
    ['JSON-LD WebPage dateModified', ld.page.dateModified],
  ]);
  const modifiedAt = mod.iso;
  if (!modifiedAt) missing['modifiedAt'] = mod.reason ?? 'the page states no modification date';

  // author
  const isOrgName = (n: string): boolean => {
    const k = compareKey(n);
    const flat = k.replace(/ /g, '');
    const brand = compareKey(hostBrand(url));
    return (
      siteNames.some((s) => {
        const sk = compareKey(s);
        return sk === k || (sk.length >= 4 && k.length >= 4 && (sk.includes(k) || k.includes(sk)));
      }) ||
      (brand.length >= 3 && (flat === brand || flat === `bao${brand}` || flat.endsWith(brand))) ||
      // diacritics matter here: "Bảo Trân" is a person, "Báo An Giang" an outlet
      /^(báo|tạp chí|đài phát thanh|đài truyền hình|cổng thông tin|trang thông tin|kênh|tổng biên tập|ban biên tập|tòa soạn|toà soạn)\s/iu.test(
        cleanText(n).toLowerCase(),
      )
    );
  };
  let author: string | null = null;
  if (overrides?.author) {
    const el = safeSelect($, overrides.author)[0];
    author = el ? cleanAuthor(textOf(el, 300)) : null;
  }
  if (!author && ld.article) {
    const people = ld.article.authors
      .filter((a) => !a.isOrganization && !isOrgName(a.name))
      .map((a) => cleanAuthor(a.name))
      .filter((x): x is string => !!x);
    if (people.length) author = [...new Set(people)].join(', ');
  }
  if (!author) {
    const m = metaFirst(
      meta,
      'author',
      'article:author',
      'dc.creator',
      'byl',
      'sailthru.author',
      'parsely-author',
      'dable:author',
    );
    if (m && !isHttpUrl(m) && !isOrgName(m)) author = cleanAuthor(m.replace(/^by\s+/i, ''));
  }
  if (!author) {
    const v = visibleAuthor(ctx, roots);
    if (v && !isOrgName(v)) author = v;
  }
  if (!author && bodyRes.trailingAuthor) author = bodyRes.trailingAuthor;
  if (author && paras.length > 1) {
    // the byline printed again as the last paragraph
    const a = compareKey(author);
    const last = paras[paras.length - 1]!;
    if (compareKey(last) === a || (last.length <= 80 && compareKey(cleanAuthor(last) ?? '') === a))
      paras = paras.slice(0, -1);
  }
  if (!author) missing['author'] = 'no author in JSON-LD/meta, no byline on the page';

  const finalBody = paras.length ? paras.join('\n\n') : null;
  if (!finalBody && !missing['body'])
    missing['body'] = 'no article paragraphs left after removing boilerplate';

  const section = extractSection(ctx, overrides, title);
  const tags = extractTags(ctx, overrides, roots, [title ?? '', sapo ?? '', finalBody ?? ''].join(' '));
  const image = extractImage(ctx, roots);
  const canonicalUrl = extractCanonical(ctx);
  const lang = extractLang(ctx, [title ?? '', sapo ?? '', finalBody ?? ''].join(' '));

  const result: ExtractedArticle = {
    url,
    canonicalUrl,
    title,
    sapo,
    body: finalBody,
    author,
    publishedAt,
    modifiedAt,
    section,
    tags,
    image,
    lang,
    missing,
  };
  return ExtractedArticle.parse(result);
}
