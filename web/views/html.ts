/**
 * HTML built with a tagged template that escapes every interpolated value unless it is already SafeHtml,
 * so crawled text (titles, bodies, names) can never inject markup: escaping is the default, not a choice.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

type Value = SafeHtml | string | number | boolean | null | undefined | Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

/** Trusted markup produced by our own code (never crawled content). */
export const raw = (s: string) => new SafeHtml(s);

/** A URL for an href: only http(s) and site-relative links; anything else (javascript:, data:) becomes '#'. */
export function safeUrl(u: string | null | undefined): string {
  if (!u) return '#';
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  try {
    const p = new URL(u);
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : '#';
  } catch {
    return '#';
  }
}
