/**
 * JSON-LD (schema.org) reading for the extractor: lenient parsing (raw newlines inside strings, trailing
 * commas, CDATA/comment wrappers, several objects in one script), @graph and arrays, and the fields the
 * article contract needs.
 */
import { htmlToText, cleanText } from './text.ts';

export interface LdAuthor {
  name: string;
  isOrganization: boolean;
}

export interface LdArticle {
  type: string;
  headline: string | null;
  description: string | null;
  /** Raw articleBody (may contain HTML or newlines). */
  articleBody: string | null;
  datePublished: string | null;
  dateModified: string | null;
  authors: LdAuthor[];
  image: { url: string; caption: string | null } | null;
  section: string | null;
  keywords: string[];
  inLanguage: string | null;
  url: string | null;
}

export interface LdInfo {
  article: LdArticle | null;
  /** Breadcrumb names in order (from BreadcrumbList). */
  breadcrumbs: string[];
  /** Names of organizations (publisher, WebSite, Organization nodes): never an author. */
  orgNames: string[];
  /** datePublished/dateModified/inLanguage of a WebPage node, used when no article node has them. */
  page: { datePublished: string | null; dateModified: string | null; inLanguage: string | null };
}

const ARTICLE_TYPES = new Set([
  'newsarticle',
  'article',
  'reportagenews',
  'analysisnewsarticle',
  'opinionnewsarticle',
  'backgroundnewsarticle',
  'reviewnewsarticle',
  'askpublicnewsarticle',
  'blogposting',
  'socialmediaposting',
  'liveblogposting',
  'report',
  'scholarlyarticle',
  'techarticle',
  'videoobject',
]);
const ORG_TYPES = new Set([
  'organization',
  'newsmediaorganization',
  'website',
  'corporation',
  'governmentorganization',
]);
const PAGE_TYPES = new Set(['webpage', 'itempage', 'collectionpage']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse one script's text; returns [] when hopeless. */
export function parseLdText(raw: string): Json[] {
  let s = raw
    .trim()
    .replace(/^<!\[CDATA\[/, '')
    .replace(/\]\]>$/, '')
    .replace(/^\s*<!--/, '')
    .replace(/-->\s*$/, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[/, '')
    .trim();
  if (!s) return [];
  try {
    return [JSON.parse(s) as Json];
  } catch {
    // fall through to the lenient path
  }
  // raw control characters inside strings, trailing commas
  // eslint-disable-next-line no-control-regex -- raw control characters are exactly what breaks these scripts
  s = s.replace(/[\u0000-\u001f]+/g, ' ').replace(/,\s*([}\]])/g, '$1');
  try {
    return [JSON.parse(s) as Json];
  } catch {
    // several objects one after another: {…}{…} or {…},{…}
    try {
      return [JSON.parse(`[${s.replace(/}\s*,?\s*{/g, '},{')}]`) as Json];
    } catch {
      return [];
    }
  }
}

function types(o: Obj): string[] {
  const t = o['@type'];
  if (typeof t === 'string') return [t.toLowerCase()];
  if (Array.isArray(t))
    return t.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
  return [];
}

function str(v: Json | undefined): string | null {
  if (typeof v === 'string') {
    const t = htmlToText(v);
    return t || null;
  }
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    for (const x of v) {
      const s = str(x);
      if (s) return s;
    }
  }
  if (isObj(v)) {
    return str(v['name']) ?? str(v['@value']) ?? null;
  }
  return null;
}

function rawStr(v: Json | undefined): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (Array.isArray(v)) for (const x of v) if (typeof x === 'string' && x.trim()) return x.trim();
  return null;
}

let idIndex = new Map<string, Obj>();

function authorsOf(v: Json | undefined, out: LdAuthor[] = []): LdAuthor[] {
  if (v === undefined || v === null) return out;
  if (typeof v === 'string') {
    const n = htmlToText(v);
    if (n) out.push({ name: n, isOrganization: false });
  } else if (Array.isArray(v)) {
    for (const x of v) authorsOf(x, out);
  } else if (isObj(v)) {
    if (v['name'] === undefined && typeof v['@id'] === 'string') {
      const ref = idIndex.get(v['@id']);
      if (ref && ref !== v) v = ref;
    }
    let name = str(v['name']);
    if (!name) {
      const given = str(v['givenName']);
      const family = str(v['familyName']);
      name = [family, given].filter(Boolean).join(' ') || null;
    }
    if (name) out.push({ name, isOrganization: types(v).some((t) => ORG_TYPES.has(t)) });
  }
  return out;
}

function imageOf(v: Json | undefined): { url: string; caption: string | null } | null {
  if (typeof v === 'string') return v.trim() ? { url: v.trim(), caption: null } : null;
  if (Array.isArray(v)) {
    for (const x of v) {
      const i = imageOf(x);
      if (i) return i;
    }
    return null;
  }
  if (isObj(v)) {
    const url = rawStr(v['url']) ?? rawStr(v['contentUrl']) ?? rawStr(v['@id']);
    if (!url) return null;
    return { url, caption: str(v['caption']) ?? str(v['description']) };
  }
  return null;
}

function keywordsOf(v: Json | undefined): string[] {
  if (typeof v === 'string')
    return v
      .split(/[,;]/)
      .map((x) => cleanText(htmlToText(x)))
      .filter(Boolean);
  if (Array.isArray(v)) return v.flatMap((x) => keywordsOf(x));
  if (isObj(v)) return keywordsOf(v['name']);
  return [];
}

function collect(node: Json, out: Obj[], depth = 0): void {
  if (depth > 6 || out.length > 500) return;
  if (Array.isArray(node)) {
    for (const x of node) collect(x, out, depth + 1);
    return;
  }
  if (!isObj(node)) return;
  out.push(node);
  const graph = node['@graph'];
  if (graph !== undefined) collect(graph, out, depth + 1);
  const main = node['mainEntity'];
  if (isObj(main) || Array.isArray(main)) collect(main, out, depth + 1);
}

function toArticle(o: Obj, type: string): LdArticle {
  return {
    type,
    headline: str(o['headline']) ?? str(o['name']),
    description: str(o['description']),
    articleBody: rawStr(o['articleBody']) ?? rawStr(o['text']),
    datePublished: rawStr(o['datePublished']) ?? rawStr(o['dateCreated']) ?? rawStr(o['uploadDate']),
    dateModified: rawStr(o['dateModified']),
    authors: authorsOf(o['author'] ?? o['creator']),
    image: imageOf(o['image']) ?? imageOf(o['thumbnailUrl']),
    section: str(o['articleSection']),
    keywords: keywordsOf(o['keywords']),
    inLanguage: str(o['inLanguage']),
    url:
      rawStr(o['url']) ??
      (isObj(o['mainEntityOfPage']) ? rawStr(o['mainEntityOfPage']['@id']) : rawStr(o['mainEntityOfPage'])),
  };
}

export function readJsonLd(scripts: string[], pageUrl: string): LdInfo {
  const nodes: Obj[] = [];
  for (const s of scripts.slice(0, 40)) {
    if (s.length > 2_000_000) continue;
    for (const j of parseLdText(s)) collect(j, nodes);
  }
  idIndex = new Map();
  for (const o of nodes)
    if (typeof o['@id'] === 'string' && Object.keys(o).length > 2) idIndex.set(o['@id'], o);
  const info: LdInfo = {
    article: null,
    breadcrumbs: [],
    orgNames: [],
    page: { datePublished: null, dateModified: null, inLanguage: null },
  };
  let best: { a: LdArticle; score: number } | null = null;
  const stripUrl = (u: string): string =>
    u
      .replace(/[?#].*$/, '')
      .replace(/\/$/, '')
      .replace(/^https?:\/\/(www\.|m\.)?/, '');
  const page = stripUrl(pageUrl);
  for (const o of nodes) {
    const ts = types(o);
    const art = ts.find((t) => ARTICLE_TYPES.has(t));
    if (art) {
      const a = toArticle(o, art);
      let score = 0;
      if (a.headline) score += 2;
      if (a.datePublished) score += 2;
      if (a.articleBody) score += 1;
      if (art !== 'videoobject') score += 2;
      if (a.url && page && stripUrl(a.url) === page) score += 3;
      if (!best || score > best.score) best = { a, score };
      const pub = o['publisher'];
      for (const au of authorsOf(pub)) info.orgNames.push(au.name);
    }
    if (ts.some((t) => ORG_TYPES.has(t))) {
      const n = str(o['name']);
      if (n) info.orgNames.push(n);
      const alt = str(o['alternateName']);
      if (alt) info.orgNames.push(alt);
    }
    if (ts.includes('breadcrumblist') && info.breadcrumbs.length === 0) {
      const items = o['itemListElement'];
      if (Array.isArray(items)) {
        const list = items
          .filter(isObj)
          .map((it, i) => ({
            pos: typeof it['position'] === 'number' ? it['position'] : Number(it['position'] ?? i) || i,
            name: str(it['name']) ?? (isObj(it['item']) ? str(it['item']['name']) : null),
          }))
          .filter((x): x is { pos: number; name: string } => !!x.name)
          .sort((x, y) => x.pos - y.pos);
        info.breadcrumbs = list.map((x) => x.name);
      }
    }
    if (ts.some((t) => PAGE_TYPES.has(t))) {
      info.page.datePublished ??= rawStr(o['datePublished']);
      info.page.dateModified ??= rawStr(o['dateModified']);
      info.page.inLanguage ??= str(o['inLanguage']);
      const bc = o['breadcrumb'];
      if (isObj(bc) && info.breadcrumbs.length === 0) collectBreadcrumb(bc, info);
    }
  }
  info.article = best?.a ?? null;
  return info;
}

function collectBreadcrumb(bc: Obj, info: LdInfo): void {
  const items = bc['itemListElement'];
  if (!Array.isArray(items)) return;
  info.breadcrumbs = items
    .filter(isObj)
    .map((it) => str(it['name']) ?? (isObj(it['item']) ? str(it['item']['name']) : null))
    .filter((x): x is string => !!x);
}
