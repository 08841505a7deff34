import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Deterministic id of an article: the hash of its canonical URL, so re-crawls upsert the same document. */
export function articleId(canonicalUrl: string): string {
  return sha256Hex(canonicalUrl);
}

/** Deterministic id built from several parts (flag = article × agency × rule, alert = subscription × story × channel). */
export function compositeId(...parts: string[]): string {
  return sha256Hex(parts.join('\u241f'));
}
