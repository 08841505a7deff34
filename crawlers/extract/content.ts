/**
 * Main-content detection and paragraph extraction on a parsed page (cheerio/domhandler nodes).
 *
 * 1. One iterative pass computes, for every element, its text length, link-text length and the text it
 *    holds directly (not inside a nested block).
 * 2. Readability-style scoring: every block with ≥ 25 characters of its own text credits its ancestors
 *    (by commas and length); candidates get a bonus or malus from class/id hints (article, detail,
 *    fck_detail, singular-content… vs comment, related, tin-lien-quan, share, quang-cao…), and the final
 *    score is scaled by 1 − link density. The best candidate may climb to a common ancestor and take
 *    in good siblings.
 * 3. Paragraph walk inside the chosen block(s): block boundaries and <br> split paragraphs; figures,
 *    captions, image tables, videos, related/share/tag/ad/author boxes and link lists are skipped; each
 *    paragraph keeps typography hints (bold, italic, alignment, image, links) for the later filters.
 */
import type { AnyNode, Element } from 'domhandler';
import { cleanText } from './text.ts';
import { fold } from '../../pipeline/normalize/vi-text.ts';
import { isJsSpace } from '../../lib/js-space.ts';

export interface Stats {
  /** Position in document order. */
  order: number;
  text: number;
  link: number;
  own: number;
  commas: number;
  imgs: number;
}

export interface Para {
  text: string;
  el: Element;
  bold: number;
  italic: number;
  link: number;
  hasImg: boolean;
  afterImage: boolean;
  heading: boolean;
  /** The block holding it has a caption-like class. */
  captionClass: boolean;
}

export const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'iframe',
  'video',
  'audio',
  'noscript',
  'amp-img',
  'amp-carousel',
  'amp-ad',
]);

/** Never part of the article text. */
export const SKIP_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'video',
  'audio',
  'canvas',
  'svg',
  'math',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'nav',
  'aside',
  'menu',
  'dialog',
  'map',
  'figure',
  'figcaption',
  'h1',
  'header',
  'footer',
  'head',
  'title',
  'meta',
  'link',
  'ins',
  'amp-ad',
  'amp-embed',
  'amp-sticky-ad',
  'amp-social-share',
  'amp-iframe',
  'amp-video',
  'amp-youtube',
  'amp-facebook',
  'amp-facebook-like',
  'amp-analytics',
  'amp-video-iframe',
  'amp-jwplayer',
  'amp-sidebar',
  'amp-consent',
]);

/** Elements whose content is not page text at all. */
const NO_TEXT_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'object',
  'embed',
  'video',
  'audio',
  'canvas',
  'svg',
  'math',
  'button',
  'select',
  'textarea',
  'option',
  'head',
  'title',
  'amp-ad',
  'amp-analytics',
  'amp-social-share',
]);

const PARA_TAGS = new Set(['p', 'pre', 'blockquote', 'h2', 'h3', 'h4', 'h5', 'h6']);

const POSITIVE_RE =
  /(^|[\s_-])(article|articles|detail|details|content|contents|entry|post|story|body|main|singular|noidung|chitiet|baiviet|cms|print|single)([\s_-]|$)|fck_detail|noi-?dung|chi-?tiet|bai-?viet|articlebody|news-?(content|detail|body)|txt-?content/;
const STRONG_POSITIVE_RE =
  /(^|[\s])(fck_detail|singular-content|detail-content|detail__content|detail-cmain|content-detail|the-article-body|article-body|article__body|article-content|articlecontent|article_content|entry-content|post-content|post-body|news-content|newscontent|news-body|maincontent|main-content|cms-body|content-body|body-content|detail-body|detail_content|detailcontent|noidung|noi-dung|chitiet|chi-tiet|contentdetail|content_detail|art-body|txt-content|afcbc-body|knc-content|ArticleContent|story-body|article-text|post-entry|single-content|baiviet-content|td-post-content|newsdetail|news-detail)([\s]|$)/i;
const NEGATIVE_RE =
  /comment|binh-?luan|binhluan|related|lien-?quan|lienquan|tin-?khac|tinkhac|cung-?chuyen-?muc|(^|[\s_-])other([\s_-]|$)|sidebar|side-bar|footer|share|sharing|social|banner|advert|(^|[\s_-])ads?([\s_-]|$)|adsbygoogle|quang-?cao|quangcao|sponsor|promo|widget|(^|[\s_-])menu|(^|[\s_-])nav|breadcrumb|popup|modal|newsletter|subscribe|(^|[\s_-])tags?([\s_-]|$)|keyword|tu-?khoa|rating|vote|(^|[\s_-])poll|most-?(read|view)|xem-?nhieu|doc-?nhieu|top-?news|hot-?news|tin-?moi|noi-?bat|recommend|suggest|pagination|paging|masthead|(^|[\s_-])header|login|signup|copyright|(^|[\s_-])(list|listing)([\s_-]|$)/;
/** Regions whose paragraphs never count for the article (comments, related lists, menus). */
const HARD_NEGATIVE_RE =
  /comment|binh-?luan|binhluan|y-?kien-?ban-?doc|related|lien-?quan|lienquan|tin-?khac|tinkhac|cung-?chuyen-?muc|(^|[\s_-])(footer|widget|menu|nav|navbar)([\s_-]|$)|xem-?nhieu|doc-?nhieu|most-?(read|view|popular)/;
/** Boxes skipped inside the chosen block. */
const BOILERPLATE_RE =
  /related|lien-?quan|tinlienquan|tin-?khac|tinkhac|cung-?chuyen-?muc|xem-?them|doc-?them|read-?more|readmore|comment|binh-?luan|(^|[\s_-])share|sharing|social|(^|[\s_-])like([\s_-]|$)|facebook|zalo|banner|advert|(^|[\s_-])ads?([\s_-]|$)|adsbygoogle|quang-?cao|quangcao|sponsor|(^|[\s_-])qc([\s_-]|$)|promo|newsletter|subscribe|(^|[\s_-])tags?([\s_-]|$)|tag-?list|list-?tag|keyword|tu-?khoa|breadcrumb|author|byline|tac-?gia|caption|chu-?thich|image_desc|img-?desc|photo-?desc|desc-?img|tplcaption|photocms|expnoedit|wp-caption-text|(^|[\s_-])(video|player|jwplayer|vjs|jw)([\s_-]|$)|video-?(player|wrapper|container|box|embed|js)|rating|(^|[\s_-])vote|(^|[\s_-])poll|toolbar|(^|[\s_-])(post-?meta|entry-?meta|article-?meta|meta)([\s_-]|$)|pagination|paging|sidebar|widget|popup|modal|inner-?link|box-?news|list-?news|news-?list|recommend|suggest|source-?link|copyright|google-?news|(^|[\s_-])follow|app-?download|hotline|(^|[\s_-])(date|time|datetime|publish|ngay-?dang|posted-?on)([\s_-]|$)|(^|[\s_-])(sapo|summary|lead|description|chapeau|chappeau)([\s_-]|$)|detail-sapo|singular-sapo|article__sapo/;
/** Lead paragraph (sapo) classes. */
export const SAPO_CLASS_RE =
  /(^|[\s_-])(sapo|summary|sumary|lead|chapeau|chappeau|description|desc|excerpt|intro|tomtat|tom-tat|trich-?dan|short-?content|news-?des|detail-?des|teaser|standfirst|abstract)([\s_-]|$)|detail-sapo|singular-sapo|article__sapo|sapo-?detail|the-article-summary|articlelead|article-lead|detail__summary|content-detail-sapo|lead-?text/;

/** Advertising classes: skipped, unless broken markup left real paragraphs inside (see adHoldsArticleText). */
const AD_CLASS_RE =
  /(^|[\s_-])(ads?|adv|advert\w*|qc|quang-?cao|quangcao|banner|sponsor\w*|inread|in-?read|ads-?\w+|adsense)([\s_-]|$)|adsbygoogle/g;

/** True when a class list is advertising only (no other boilerplate word). */
export function isAdOnlyClass(cls: string): boolean {
  if (!AD_CLASS_RE.test(cls)) return false;
  AD_CLASS_RE.lastIndex = 0;
  const rest = cls.replace(AD_CLASS_RE, ' ');
  AD_CLASS_RE.lastIndex = 0;
  return !BOILERPLATE_RE.test(rest) && !NEGATIVE_RE.test(rest);
}

/**
 * An unclosed ad box in broken HTML swallows the paragraphs that follow it. Such a box holds long,
 * link-free <p> paragraphs (≥ 60 % of its text); a real ad holds images, scripts and short labels.
 */
export function adHoldsArticleText(el: Element, stats: Map<Element, Stats>): boolean {
  const total = stats.get(el)?.text ?? 0;
  if (total < 150) return false;
  let paraText = 0;
  const stack: AnyNode[] = [...(el.children ?? [])];
  let steps = 0;
  while (stack.length && steps++ < 5000) {
    const n = stack.pop()!;
    if (n.type !== 'tag') continue;
    const e = n as Element;
    if (e.name === 'p') {
      const s = stats.get(e);
      if (s && s.text >= 100 && s.link / s.text < 0.3) paraText += s.text;
      continue;
    }
    for (const k of e.children ?? []) stack.push(k);
  }
  return paraText >= 150 && paraText >= total * 0.6;
}

/** Elements whose class says "image box" (skipped when short). */
const IMAGE_BOX_RE =
  /(^|[\s_-])(image|img|photo|picture|pic|figure|hinh-?anh|album|gallery|slide|slider|carousel)([\s_-]|$)/;
/** VCCorp-style embedded boxes (<div class="VCSortableInPreviewMode" type="Photo">). */
const EMBED_TYPES_RE =
  /photo|video|related|relate|news|vote|album|layout|link-content|image|gallery|slide|map|poll|audio|podcast|embed/i;

export function classOf(el: Element): string {
  const a = el.attribs;
  if (!a) return '';
  const c = a['class'];
  const i = a['id'];
  if (!c && !i) return '';
  return `${c ?? ''} ${i ?? ''}`.toLowerCase();
}

export function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (!a) return false;
  if (a['hidden'] !== undefined) return true;
  const st = a['style'];
  if (st && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(st)) return true;
  return false;
}

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

/** Per-element text statistics in one iterative pass (no recursion: deep malformed trees are fine). */
export function computeStats(root: AnyNode): Map<Element, Stats> {
  const stats = new Map<Element, Stats>();
  const stack: Array<{ node: AnyNode; block: Element | null; link: boolean; exit: boolean }> = [
    { node: root, block: null, link: false, exit: false },
  ];
  const chain: Element[] = [];
  let visited = 0;
  let order = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    const node = item.node;
    if (item.exit) {
      const el = node as Element;
      chain.pop();
      const s = stats.get(el)!;
      const parent = chain[chain.length - 1];
      if (parent) {
        const ps = stats.get(parent)!;
        ps.text += s.text;
        ps.link += s.link;
        ps.imgs += s.imgs;
      }
      continue;
    }
    if (++visited > 400_000) break;
    if (node.type === 'text') {
      const data = (node as unknown as { data: string }).data;
      // characters with whitespace runs counted once, and commas, in one loop
      let len = 0;
      let commas = 0;
      let space = true;
      for (let i = 0; i < data.length; i++) {
        const ch = data.charCodeAt(i);
        if (ch === 32 || ch === 10 || ch === 9 || ch === 13 || ch === 160 || ch === 12) {
          if (!space) len++;
          space = true;
          continue;
        }
        space = false;
        len++;
        if (ch === 44 || ch === 0xff0c) commas++;
      }
      if (space && len > 0) len--;
      if (len <= 0) continue;
      const parent = chain[chain.length - 1];
      if (parent) {
        const ps = stats.get(parent)!;
        ps.text += len;
        if (item.link) ps.link += len;
      }
      if (item.block) {
        const bs = stats.get(item.block)!;
        bs.own += len;
        bs.commas += commas;
      }
      continue;
    }
    if (node.type === 'root' || isElement(node)) {
      const isEl = node.type !== 'root';
      const el = node as Element;
      if (isEl) {
        if (node.type !== 'tag' || NO_TEXT_TAGS.has(el.name)) {
          // scripts, styles, iframes…: no text
          stats.set(el, { order: order++, text: 0, link: 0, own: 0, commas: 0, imgs: 0 });
          continue;
        }
        stats.set(el, {
          order: order++,
          text: 0,
          link: 0,
          own: 0,
          commas: 0,
          imgs: el.name === 'img' || el.name === 'amp-img' ? 1 : 0,
        });
        chain.push(el);
        stack.push({ node, block: item.block, link: item.link, exit: true });
      }
      const block = isEl && BLOCK_TAGS.has(el.name) ? el : item.block;
      const link = item.link || (isEl && el.name === 'a');
      const kids = (node as unknown as { children?: AnyNode[] }).children ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, block, link, exit: false });
    }
  }
  return stats;
}

function tagWeight(name: string): number {
  switch (name) {
    case 'article':
      return 8;
    case 'div':
    case 'section':
    case 'main':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

export function classWeight(el: Element): number {
  const c = classOf(el);
  let w = 0;
  if (el.attribs?.['itemprop'] === 'articleBody') w += 50;
  if (!c) return w;
  if (POSITIVE_RE.test(c)) w += 25;
  if (STRONG_POSITIVE_RE.test(c)) w += 30;
  if (NEGATIVE_RE.test(c)) w -= 25;
  return w;
}

function parentEl(n: AnyNode): Element | null {
  const p = n.parent;
  return p && p.type === 'tag' ? (p as Element) : null;
}

export interface ContentChoice {
  roots: Element[];
  score: number;
}

/** Find the element(s) that hold the article text. */
export function findContentRoots(body: Element, stats: Map<Element, Stats>): ContentChoice | null {
  const scores = new Map<Element, number>();
  const init = (el: Element): void => {
    if (!scores.has(el)) scores.set(el, tagWeight(el.name) + classWeight(el));
  };
  const hardNeg = new Map<Element, boolean>();
  const isHardNegative = (start: Element): boolean => {
    const path: Element[] = [];
    let n: Element | null = start;
    let result = false;
    while (n) {
      const known = hardNeg.get(n);
      if (known !== undefined) {
        result = known;
        break;
      }
      path.push(n);
      if (n.name === 'aside' || n.name === 'nav' || n.name === 'footer') {
        result = true;
        break;
      }
      const c = classOf(n);
      if (c && HARD_NEGATIVE_RE.test(c) && !STRONG_POSITIVE_RE.test(c)) {
        result = true;
        break;
      }
      if (n === body) break;
      n = parentEl(n);
    }
    for (const p of path) hardNeg.set(p, result);
    return result;
  };
  for (const [el, s] of stats) {
    if (s.own < 25 || el.type !== 'tag') continue;
    if (el.name === 'h1' || el.name === 'li' || el.name === 'a' || el.name === 'th') continue;
    if (isHardNegative(el)) continue;
    if (SKIP_TAGS.has(el.name) && el.name !== 'figure') continue;
    if (el.name === 'figure' || el.name === 'figcaption') continue;
    const unit = 1 + Math.min(s.commas, 30) + Math.min(Math.floor(s.own / 100), 3);
    let node: Element | null = PARA_TAGS.has(el.name) ? parentEl(el) : el;
    let level = 0;
    while (node && level < 5) {
      if (!stats.has(node)) break;
      init(node);
      const div = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(node, scores.get(node)! + unit / div);
      if (node === body) break;
      node = parentEl(node);
      level++;
    }
  }
  if (scores.size === 0) return null;
  const ranked: Array<{ el: Element; score: number }> = [];
  for (const [el, sc] of scores) {
    const s = stats.get(el)!;
    const ld = s.text > 0 ? s.link / s.text : 0;
    const final = sc * (1 - ld);
    ranked.push({ el, score: final });
  }
  ranked.sort((a, b) => b.score - a.score);
  const best = ranked[0]!;
  if (best.score <= 0) return null;
  let top = best.el;
  const finalScore = new Map(ranked.map((r) => [r.el, r.score] as const));

  // Several near-equal candidates under one ancestor: take the ancestor (paragraphs split in boxes).
  const alts = ranked
    .slice(1, 6)
    .filter((r) => r.score >= best.score * 0.75 && !contains(r.el, top) && !contains(top, r.el));
  if (alts.length >= 2) {
    let anc = parentEl(top);
    while (anc && anc !== body) {
      const inside = alts.filter((a) => contains(anc!, a.el)).length;
      if (inside >= 2) {
        if (NEGATIVE_RE.test(classOf(anc)) && !POSITIVE_RE.test(classOf(anc))) break;
        top = anc;
        break;
      }
      anc = parentEl(anc);
    }
  }
  // A lone child: its parent gives the same text and lets siblings join.
  while (top.name !== 'body') {
    const p = parentEl(top);
    if (!p || p.name === 'body' || p.name === 'html') break;
    const kids = (p.children ?? []).filter((k) => k.type === 'tag');
    const ps = stats.get(p);
    const ts = stats.get(top);
    if (kids.length === 1 && ps && ts && ps.text === ts.text) top = p;
    else break;
  }

  // Siblings that look like part of the article.
  const topScore = finalScore.get(top) ?? best.score;
  const threshold = Math.max(10, topScore * 0.2);
  const parent = parentEl(top);
  const roots: Element[] = [];
  if (parent && top.name !== 'body') {
    const topClass = top.attribs?.['class'] ?? '';
    for (const sib of parent.children ?? []) {
      if (sib.type !== 'tag') continue;
      const s = sib as Element;
      if (s === top) {
        roots.push(s);
        continue;
      }
      if (SKIP_TAGS.has(s.name) || isHidden(s)) continue;
      const ss = stats.get(s);
      if (!ss || ss.text === 0) continue;
      const cls = classOf(s);
      if (cls && SAPO_CLASS_RE.test(cls)) continue;
      if (cls && isAdOnlyClass(cls) && adHoldsArticleText(s, stats)) {
        roots.push(s);
        continue;
      }
      if (cls && (NEGATIVE_RE.test(cls) || BOILERPLATE_RE.test(cls)) && !POSITIVE_RE.test(cls)) continue;
      const ld = ss.text ? ss.link / ss.text : 0;
      let sc = finalScore.get(s) ?? 0;
      if (topClass && s.attribs?.['class'] === topClass) sc += topScore * 0.2;
      if (sc >= threshold && ld < 0.3) {
        roots.push(s);
      } else if (s.name === 'p' && ld < 0.25 && ss.text > 80) {
        roots.push(s);
      }
    }
  } else {
    roots.push(top);
  }
  return { roots: roots.length ? roots : [top], score: topScore };
}

export function contains(a: Element, b: AnyNode): boolean {
  let n: AnyNode | null = b.parent;
  while (n) {
    if (n === a) return true;
    n = n.parent;
  }
  return false;
}

function styleOf(el: Element): string {
  return (el.attribs?.['style'] ?? '').toLowerCase();
}

export interface WalkOptions {
  /** Total text of the content block, to keep a "boilerplate" box that holds most of the article. */
  blockText: number;
  /** Extra elements to skip (already used as sapo/author/…). */
  skip?: Set<Element>;
}

interface Buf {
  parts: string[];
  len: number;
  bold: number;
  italic: number;
  link: number;
  img: boolean;
  el: Element | null;
  heading: boolean;
  captionClass: boolean;
}

const CAPTION_CLASS_RE =
  /caption|image_desc|img-?desc|photo-?desc|desc-?img|chu-?thich|(^|[\s_-])(image|img|photo|pic)([\s_-]|$)|(^|[\s_-])note([\s_-]|$)/;

/** Length of a string without its whitespace (as `s.replace(/\s+/g, '').length`, without the copy). */
export function nonSpaceLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 && c < 0x7f) {
      n++;
      continue;
    }
    if (!isJsSpace(c)) n++;
  }
  return n;
}

/** Walk the chosen block(s) and cut the text into paragraphs. */
export function collectParagraphs(roots: Element[], stats: Map<Element, Stats>, opts: WalkOptions): Para[] {
  const paras: Para[] = [];
  let buf: Buf = newBuf(null);
  let imageSeen = false;
  let steps = 0;
  const rootSet = new Set(roots);

  function newBuf(el: Element | null): Buf {
    return {
      parts: [],
      len: 0,
      bold: 0,
      italic: 0,
      link: 0,
      img: false,
      el,
      heading: false,
      captionClass: false,
    };
  }
  function flush(next: Element | null): void {
    const raw = buf.parts.join('');
    const text = cleanText(raw);
    if (text && /[\p{L}\p{N}]/u.test(text) && buf.el) {
      const total = Math.max(1, buf.len);
      paras.push({
        text,
        el: buf.el,
        bold: buf.bold / total,
        italic: buf.italic / total,
        link: buf.link / total,
        hasImg: buf.img,
        afterImage: imageSeen && !buf.img,
        heading: buf.heading,
        captionClass: buf.captionClass,
      });
      imageSeen = false;
    } else if (buf.img) {
      imageSeen = true;
    }
    buf = newBuf(next);
  }

  interface Ctx {
    bold: boolean;
    italic: boolean;
    link: boolean;
    block: Element;
    heading: boolean;
    caption: boolean;
  }

  function skipElement(el: Element, isRoot: boolean): boolean {
    if (opts.skip?.has(el)) return true;
    if (SKIP_TAGS.has(el.name)) return true;
    if (isHidden(el)) return true;
    if (isRoot) return false;
    const a = el.attribs ?? {};
    if (a['aria-hidden'] === 'true' && el.name !== 'span' && el.name !== 'i') return true;
    const s = stats.get(el);
    const cls = classOf(el);
    const typ = a['type'] ?? a['data-type'] ?? '';
    if (
      typ &&
      el.name === 'div' &&
      EMBED_TYPES_RE.test(typ) &&
      !/quote|wrapnote|content-box|box-?table|note/i.test(typ)
    )
      return true;
    if (cls) {
      if (BOILERPLATE_RE.test(cls) && !STRONG_POSITIVE_RE.test(cls)) {
        const big = s && s.text > opts.blockText * 0.5 && s.text > 400 && s.link / Math.max(1, s.text) < 0.3;
        if (!big && !(isAdOnlyClass(cls) && adHoldsArticleText(el, stats))) return true;
      }
      if (IMAGE_BOX_RE.test(cls) && s && s.text < 400 && s.imgs > 0) return true;
    }
    if (el.name === 'table' && s && s.imgs > 0 && s.text < 400) return true;
    // link lists (related articles, "most read"): any block that is mostly link text
    if (s && s.text > 0 && BLOCK_TAGS.has(el.name) && el.name !== 'p' && !/^h[2-6]$/.test(el.name)) {
      if (s.link / s.text > 0.5) return true;
    }
    return false;
  }

  function walk(node: AnyNode, ctx: Ctx, depth: number): void {
    if (++steps > 300_000 || depth > 250) return;
    if (node.type === 'text') {
      const data = (node as unknown as { data: string }).data;
      if (!data) return;
      buf.parts.push(data);
      const n = nonSpaceLength(data);
      buf.len += n;
      if (ctx.bold) buf.bold += n;
      if (ctx.italic) buf.italic += n;
      if (ctx.link) buf.link += n;
      if (ctx.heading) buf.heading = true;
      if (ctx.caption) buf.captionClass = true;
      if (!buf.el) buf.el = ctx.block;
      return;
    }
    if (node.type !== 'tag') return;
    const el = node as Element;
    const name = el.name;
    const isRoot = rootSet.has(el);
    if (name === 'br') {
      flush(ctx.block);
      return;
    }
    if (name === 'img' || name === 'amp-img' || name === 'picture') {
      buf.img = true;
      if (!buf.el) buf.el = ctx.block;
      return;
    }
    if (skipElement(el, isRoot)) {
      if (name === 'figure' || name === 'table' || IMAGE_BOX_RE.test(classOf(el))) {
        // a skipped image box: its caption went with it
        const s = stats.get(el);
        if (s && s.imgs > 0) {
          flush(ctx.block);
          imageSeen = s.text === 0;
        }
      }
      return;
    }
    const isBlock = BLOCK_TAGS.has(name);
    const st = el.attribs?.['style'];
    const cls = classOf(el);
    const next: Ctx = { ...ctx };
    if (name === 'strong' || name === 'b') next.bold = true;
    else if (name === 'em' || name === 'i' || name === 'cite') next.italic = true;
    else if (name === 'a') next.link = true;
    if (st) {
      const s = st.toLowerCase();
      if (/font-weight\s*:\s*(bold|[6-9]00)/.test(s)) next.bold = true;
      if (/font-style\s*:\s*italic/.test(s)) next.italic = true;
    }
    if (/^h[2-6]$/.test(name)) next.heading = true;
    if (cls && CAPTION_CLASS_RE.test(cls)) next.caption = true;
    if (isBlock) {
      flush(el);
      next.block = el;
    }
    const kids = el.children ?? [];
    for (const k of kids) walk(k, next, depth + 1);
    if (cls.includes('location-stamp') || cls.includes('location_stamp')) buf.parts.push(' - ');
    if (isBlock) flush(ctx.block);
  }

  for (const r of roots) {
    flush(r);
    walk(r, { bold: false, italic: false, link: false, block: r, heading: false, caption: false }, 0);
    flush(r);
  }
  return paras;
}

/** Alignment of a paragraph's block (style, align attribute or class), looking up to 3 ancestors. */
export function alignmentOf(el: Element, stop?: Element): 'left' | 'center' | 'right' | 'justify' | null {
  let n: Element | null = el;
  for (let i = 0; n && i < 4; i++) {
    const st = styleOf(n);
    const m = /text-align\s*:\s*(left|center|right|justify)/.exec(st);
    if (m) return m[1] as 'left' | 'center' | 'right' | 'justify';
    const al = (n.attribs?.['align'] ?? '').toLowerCase();
    if (al === 'right' || al === 'center' || al === 'left' || al === 'justify') return al;
    const c = classOf(n);
    if (/(^|[\s_-])(text-?right|align-?right|right|tar|txt-right|author-right)([\s_-]|$)/.test(c))
      return 'right';
    if (/(^|[\s_-])(text-?center|align-?center|center|tac|txt-center|aligncenter)([\s_-]|$)/.test(c))
      return 'center';
    if (n === stop) break;
    n = parentEl(n);
  }
  return null;
}

/** Text of an element (cheerio-free), with block boundaries as spaces. */
export function textOf(node: AnyNode, max = 20000): string {
  const parts: string[] = [];
  let len = 0;
  const stack: AnyNode[] = [node];
  while (stack.length && len < max) {
    const n = stack.pop()!;
    if (n.type === 'text') {
      const d = (n as unknown as { data: string }).data;
      parts.push(d);
      len += d.length;
      continue;
    }
    if (n.type !== 'tag' && n.type !== 'root') continue;
    const el = n as Element;
    if (n.type === 'tag' && (el.name === 'script' || el.name === 'style' || el.name === 'noscript')) continue;
    if (n.type === 'tag' && (BLOCK_TAGS.has(el.name) || el.name === 'br')) parts.push(' ');
    const kids = el.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return cleanText(parts.join(''));
}

/** Folded starts used by the paragraph filters. */
export const RELATED_LINE_RE =
  /^(?:>>+|»|►|\+\+|\*\s*)?\s*(xem them|tin lien quan|doc them|bai lien quan|xem tiep|tin cung chuyen muc|tin khac|bai viet lien quan|co the ban quan tam|ban co the quan tam|video dang duoc quan tam|xem video|xem clip|moi (quy )?(doc gia|ban doc|ban|quy vi) (xem|theo doi|don xem|cung xem)|nhan vao day|bam vao day|click vao day|xem chi tiet tai|xem toan van|xem day du)\b/;
export const SHARE_LINE_RE =
  /^(quang cao|advertisement|qc|dang tai( noi dung)?|loading|vui long cho|chia se|share|tweet|in bai|gui bai|luu bai|luu tin|binh luan|y kien ban doc|gui y kien|theo doi .{0,60}tren (google news|zalo|facebook|youtube|tiktok|mang xa hoi)|theo doi chung toi|tai ung dung|tai app|quet ma|duong day nong|like fanpage|thich trang|dang ky nhan tin|ban dang doc|copy link|sao chep lien ket|(nguon|source)\s*:?\s*https?:)/;
export const TAG_LINE_RE = /^(tu khoa|tags?|chu de|keywords?|the)\s*:/;
export const CAPTION_LINE_RE =
  /^\(?\s*(anh|anh minh hoa|nguon anh|photo|video|clip|do hoa|infographic|thiet ke|minh hoa)\s*[:(-]/;
export const PLAYER_RE =
  /trinh duyet (cua ban )?khong ho tro|your browser does not support|video player is loading|loading the player|this video is not available|khong the phat video|tat quang cao|bo qua quang cao|skip ad|nhan de xem|bam de xem video|^\d{1,2}:\d{2}(\s*\/\s*\d{1,2}:\d{2})?$/;

export function foldedStart(s: string, n = 200): string {
  return fold(s.slice(0, n)).trim();
}
