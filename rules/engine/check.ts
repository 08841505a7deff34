/**
 * Core of the CLI contract `monitor rules check`: JSONL of tagged articles in (as written by `monitor tag`),
 * JSONL of flags out. A bad line (not JSON, or not an article) is reported through `onError` with its
 * 1-based line number and skipped; blank lines are ignored.
 */
import type { WorkCalendar } from '../calendar/calendar.ts';
import type { Regimes } from '../legal/regimes.ts';
import { evaluateRules, RuleArticle } from './evaluate.ts';
import type { StoryInfo } from './evaluate.ts';
import { toFlagLine } from './flag.ts';
import type { RuleSet } from './schema.ts';

export interface LineError {
  line: number;
  message: string;
}

export interface CheckOptions {
  calendar: WorkCalendar;
  regimes: Regimes;
  now?: string;
  /** Story information by story id, for the amplification rules (the tag output only carries storyId). */
  storyInfo?: (storyId: string) => StoryInfo | null | undefined;
  onError?: (e: LineError) => void;
}

/** Yields one JSON text per flag (without the trailing newline). */
export async function* checkJsonl(
  lines: AsyncIterable<string> | Iterable<string>,
  rules: RuleSet,
  opts: CheckOptions,
): AsyncIterable<string> {
  let n = 0;
  for await (const raw of lines) {
    n++;
    const text = raw.trim();
    if (text === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      opts.onError?.({
        line: n,
        message: `invalid JSON: ${err instanceof Error ? err.message : String(err)}`,
      });
      continue;
    }
    const parsed = RuleArticle.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      opts.onError?.({ line: n, message: `not a tagged article: ${first}` });
      continue;
    }
    const article = parsed.data;
    const story = article.story ?? (article.storyId ? (opts.storyInfo?.(article.storyId) ?? null) : null);
    let flags;
    try {
      flags = evaluateRules(article, rules, {
        calendar: opts.calendar,
        regimes: opts.regimes,
        now: opts.now,
        story,
      });
    } catch (err) {
      opts.onError?.({ line: n, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    for (const f of flags) yield JSON.stringify(toFlagLine(f));
  }
}
