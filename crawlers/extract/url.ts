/**
 * URL normalization shared by the extractor (canonical URLs) and the crawler (frontier/dedupe keys).
 *
 * normalizeUrl: lower-case scheme and host, no trailing dot, no default port, no fragment, no tracking
 * parameters (utm_*, fbclid, gclid, zarsrc, gidzl, vn_source…), remaining query sorted, and by default the
 * mobile/AMP variants mapped to the desktop page (m.example.vn → example.vn, /amp/x.html → /x.html,
 * x.amp.html → x.html, ?amp=1 dropped). Never throws: a string that is not an absolute http(s) URL comes
 * back trimmed and otherwise unchanged.
 */

const TRACKING_EXACT = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'igshid',
  'igsh',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'zarsrc',
  'gidzl',
  'zacc',
  'fb_action_ids',
  'fb_action_types',
  'fb_ref',
  'fb_source',
  'action_object_map',
  'action_type_map',
  'action_ref_map',
  'ref_src',
  'ref_url',
  'spm',
  'cmpid',
  's_cid',
  'li_fat_id',
  'wickedid',
  'rb_clickid',
  'oly_enc_id',
  'oly_anon_id',
  'epik',
  'share',
  'sharing',
]);
/** Query keys that only select the AMP rendering. */
const AMP_KEYS = new Set(['amp', 'outputtype', 'amp_js_v', 'usqp']);
const TRACKING_PREFIX = ['utm_', 'vn_', 'itm_', 'pk_', 'mtm_', 'hsa_', 'ga_'];

/** Known second-level public suffixes (Vietnam first), enough to find the registrable domain. */
const SECOND_LEVEL = new Set([
  'com.vn',
  'net.vn',
  'org.vn',
  'gov.vn',
  'edu.vn',
  'ac.vn',
  'info.vn',
  'biz.vn',
  'name.vn',
  'pro.vn',
  'health.vn',
  'int.vn',
  'co.uk',
  'org.uk',
  'com.au',
  'com.sg',
  'com.cn',
  'co.jp',
  'co.kr',
]);

export function isHttpUrl(s: string): boolean {
  return /^https?:\/\//i.test(s.trim());
}

/** Registrable domain ("eTLD+1") of a host, with a small suffix list that knows .com.vn, .gov.vn… */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(h) || h.includes(':')) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const last2 = labels.slice(-2).join('.');
  if (SECOND_LEVEL.has(last2)) return labels.slice(-3).join('.');
  return last2;
}

export function sameSite(a: string, b: string): boolean {
  try {
    return registrableDomain(new URL(a).hostname) === registrableDomain(new URL(b).hostname);
  } catch {
    return false;
  }
}

/** Resolve `href` against `base`; null when it is empty, not http(s), or unparseable. */
export function resolveUrl(href: string | null | undefined, base: string): string | null {
  if (!href) return null;
  const h = href.trim().replace(/[\s\u00a0]+/g, (m) => (m.includes('\n') ? '' : '%20'));
  if (!h || /^(javascript|mailto|tel|data|about):/i.test(h)) return null;
  try {
    const u = base ? new URL(h, base) : new URL(h);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.toString();
  } catch {
    return null;
  }
}

function isTracking(key: string): boolean {
  const k = key.toLowerCase();
  if (TRACKING_EXACT.has(k)) return true;
  return TRACKING_PREFIX.some((p) => k.startsWith(p));
}

export interface NormalizeUrlOptions {
  /** Map m./mobile./amp. hosts and AMP paths to the desktop page (default true). */
  desktop?: boolean;
}

export function normalizeUrl(url: string, opts: NormalizeUrlOptions = {}): string {
  const input = url.trim();
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return input;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return input;
  const desktop = opts.desktop ?? true;

  let host = u.hostname.toLowerCase().replace(/\.$/, '');
  if (desktop) {
    const m = /^(?:m|mobile|amp|mobi|wap)\.(.+)$/.exec(host);
    // keep at least a registrable domain: never strip "m." from "m.com.vn"
    if (m && m[1]!.includes('.') && !SECOND_LEVEL.has(m[1]!)) host = m[1]!;
  }
  u.hostname = host;
  if ((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443'))
    u.port = '';
  u.hash = '';
  u.username = '';
  u.password = '';

  if (desktop) {
    let path = u.pathname;
    path = path.replace(/^\/amp(?=\/)/i, '');
    path = path.replace(/\/amp\/?$/i, '/');
    path = path.replace(/[.-]amp(\.html?)$/i, '$1');
    if (path === '') path = '/';
    u.pathname = path;
  }

  const kept: Array<[string, string]> = [];
  for (const [k, v] of u.searchParams) {
    if (isTracking(k)) continue;
    if (desktop && AMP_KEYS.has(k.toLowerCase())) continue;
    kept.push([k, v]);
  }
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  u.search = '';
  for (const [k, v] of kept) u.searchParams.append(k, v);
  let out = u.toString();
  if (u.search === '' && out.endsWith('?')) out = out.slice(0, -1);
  return out;
}
