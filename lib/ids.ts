import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Deterministic id of an article: the hash of its canonical URL, so re-crawls upsert the same document. */
export function articleId(canonicalUrl: string): string {
  return sha256Hex(canonicalUrl);
}

/**
 * Deterministic id of a combination (flag = article|agency|rule, case = agency|story, alert =
 * subscription|story|channel|level): the same combination always gets the same id, so writes are upserts.
 */
export function compositeId(...parts: string[]): string {
  return sha256Hex(parts.join('|'));
}
