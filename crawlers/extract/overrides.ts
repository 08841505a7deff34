/**
 * Per-site CSS selectors (from sources.yaml) that the extractor tries before its generic heuristics.
 * A selector that matches nothing falls back to the heuristics; `remove` deletes elements first.
 */
import { load } from 'cheerio';
import { z } from 'zod';

let probe: ReturnType<typeof load> | null = null;
/** True when cheerio (css-select) can parse the selector. */
export function isValidSelector(selector: string): boolean {
  try {
    probe ??= load('<html><body></body></html>');
    probe(selector);
    return true;
  } catch {
    return false;
  }
}

const Selector = z.string().trim().min(1).refine(isValidSelector, { message: 'not a valid CSS selector' });

export const SiteOverrides = z
  .object({
    title: Selector.optional(),
    sapo: Selector.optional(),
    /** The element(s) holding the article paragraphs. */
    body: Selector.optional(),
    /** Elements deleted before anything else (ads, boxes the heuristics keep). */
    remove: z.array(Selector).optional(),
    author: Selector.optional(),
    /** Where the publication date is; `attr` reads an attribute (e.g. datetime, content) instead of the text. */
    publishedAt: z
      .object({ selector: Selector, attr: z.string().trim().min(1).optional() })
      .strict()
      .optional(),
    section: Selector.optional(),
    /** Elements whose text each is one tag (e.g. ".tags a"). */
    tags: Selector.optional(),
  })
  .strict();
export type SiteOverrides = z.infer<typeof SiteOverrides>;
