/**
 * Highlighting done in Node instead of by Elasticsearch: matches are found on the folded text (fold() keeps
 * NFC length, so offsets map 1:1 to the original), so a query typed without diacritics highlights the words
 * with them, and the output is escaped by construction.
 */
import { fold } from '../../pipeline/normalize/vi-text.ts';
import { escapeHtml, SafeHtml } from '../views/html.ts';

type Span = [number, number];

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

function findSpans(text: string, terms: Array<{ text: string; phrase: boolean }>): Span[] {
  const folded = fold(text).toLowerCase();
  const needles = new Set<string>();
  for (const t of terms) {
    const f = fold(t.text).toLowerCase().replace(/\s+/g, ' ').trim();
    if (!f) continue;
    if (t.phrase) needles.add(f);
    else for (const w of f.split(' ')) if (w.length > 0) needles.add(w);
  }
  const spans: Span[] = [];
  for (const n of needles) {
    let i = folded.indexOf(n);
    while (i >= 0) {
      const end = i + n.length;
      if (!isWordChar(folded[i - 1]) && !isWordChar(folded[end])) spans.push([i, end]);
      i = folded.indexOf(n, i + 1);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

function markSpans(text: string, spans: Span[], from = 0, to = text.length): string {
  let out = '';
  let at = from;
  for (const [s, e] of spans) {
    if (e <= from || s >= to) continue;
    const a = Math.max(s, from);
    const b = Math.min(e, to);
    out += escapeHtml(text.slice(at, a)) + `<mark>${escapeHtml(text.slice(a, b))}</mark>`;
    at = b;
  }
  return out + escapeHtml(text.slice(at, to));
}

export function highlight(text: string | null | undefined, terms: Array<{ text: string; phrase: boolean }>): SafeHtml {
  const t = (text ?? '').normalize('NFC');
  return new SafeHtml(markSpans(t, findSpans(t, terms)));
}

/** A window of about `size` characters around the first match (or the start), highlighted. */
export function snippet(text: string | null | undefined, terms: Array<{ text: string; phrase: boolean }>, size = 240): SafeHtml {
  const t = (text ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!t) return new SafeHtml('');
  const spans = findSpans(t, terms);
  const first = spans[0]?.[0] ?? 0;
  let from = Math.max(0, first - Math.floor(size / 3));
  if (from > 0) from = t.indexOf(' ', from) + 1 || from;
  const to = Math.min(t.length, from + size);
  return new SafeHtml(`${from > 0 ? '… ' : ''}${markSpans(t, spans, from, to)}${to < t.length ? ' …' : ''}`);
}
