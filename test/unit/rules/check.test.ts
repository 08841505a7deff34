import { describe, expect, it } from 'vitest';
import { checkJsonl } from '../../../rules/engine/check.ts';
import type { LineError } from '../../../rules/engine/check.ts';
import { FlagLine } from '../../../rules/engine/flag.ts';
import { article, calendar, defaultRules, regimes } from './helpers.ts';

async function* linesOf(text: string): AsyncIterable<string> {
  for (const l of text.split('\n')) yield l;
}

async function run(text: string, extra: Partial<Parameters<typeof checkJsonl>[2]> = {}) {
  const errors: LineError[] = [];
  const out: string[] = [];
  for await (const l of checkJsonl(linesOf(text), defaultRules, {
    calendar,
    regimes,
    onError: (e) => errors.push(e),
    ...extra,
  }))
    out.push(l);
  return { out, errors };
}

const hot = JSON.stringify(
  article({ id: 'a-hot', level: 'hot', tone: 'negative', categories: ['accident'] }),
);
const calm = JSON.stringify(article({ id: 'a-calm', tone: 'positive', categories: ['activity'] }));

describe('checkJsonl (rules check)', () => {
  it('writes one JSON flag per line with exactly the contract fields', async () => {
    const { out, errors } = await run(hot);
    expect(errors).toEqual([]);
    expect(out.length).toBeGreaterThan(0);
    for (const l of out) {
      const obj = JSON.parse(l) as Record<string, unknown>;
      expect(Object.keys(obj)).toEqual([
        'articleId',
        'agencyId',
        'ruleId',
        'kind',
        'priority',
        'deadline',
        'regime',
        'reasons',
      ]);
      expect(FlagLine.safeParse(obj).success).toBe(true);
      expect(l).not.toContain('\n');
    }
    expect(out.map((l) => (JSON.parse(l) as { ruleId: string }).ruleId)).toContain('spokesperson-hot-event');
  });

  it('skips bad lines, reports their 1-based line numbers, and goes on', async () => {
    const text = [hot, '{not json', '', calm, '{"id": "x", "agencies": "nope"}', '[1,2]', hot].join('\n');
    const { out, errors } = await run(text);
    expect(errors.map((e) => e.line)).toEqual([2, 5, 6]);
    expect(errors[0]!.message).toMatch(/^invalid JSON/);
    expect(errors[1]!.message).toContain('agencies');
    const ids = out.map((l) => (JSON.parse(l) as { articleId: string }).articleId);
    expect(new Set(ids)).toEqual(new Set(['a-hot'])); // the calm article gives no flag; hot appears twice
    expect(ids.length % 2).toBe(0);
  });

  it('accepts the minimal `monitor tag` line (no url, no outlet fields, no fetchedAt)', async () => {
    const line = JSON.stringify({
      id: 'min-1',
      title: 'Vụ cháy chợ',
      body: 'Nội dung',
      publishedAt: '2026-11-20T08:30:00+07:00',
      agencies: [
        {
          id: '2025-91-ubnd-tinh',
          name: 'UBND tỉnh An Giang',
          type: 'ubnd-tinh',
          level: 'province',
          prominence: 'primary',
          confidence: 0.8,
        },
      ],
      sensitivity: { level: 'hot', score: 0.9, tone: 'negative', categories: ['accident'], reasons: [] },
    });
    const { out, errors } = await run(line);
    expect(errors).toEqual([]);
    expect(out.map((l) => (JSON.parse(l) as { ruleId: string }).ruleId)).toEqual([
      'spokesperson-hot-event',
      'escalate-hot-negative',
    ]);
  });

  it('looks up story information by storyId', async () => {
    const line = JSON.stringify(article({ id: 's-1', tone: 'negative', storyId: 'story-1' }));
    const without = await run(line);
    const withStory = await run(line, {
      storyInfo: (id) => (id === 'story-1' ? { outlets: 4, articleCount: 6 } : null),
    });
    const rules = (r: { out: string[] }) => r.out.map((l) => (JSON.parse(l) as { ruleId: string }).ruleId);
    expect(rules(without)).not.toContain('escalate-amplified-story');
    expect(rules(withStory)).toContain('escalate-amplified-story');
  });

  it('is deterministic: the same input gives byte-identical output', async () => {
    const text = [hot, calm, hot].join('\n');
    expect((await run(text)).out).toEqual((await run(text)).out);
  });
});
