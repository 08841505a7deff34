/** Shared fixtures for the rules tests: the real data files and a compact article builder. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCalendar } from '../../../rules/calendar/calendar.ts';
import { loadRegimes } from '../../../rules/legal/regimes.ts';
import { loadRules } from '../../../rules/engine/load.ts';
import type { RuleArticle } from '../../../rules/engine/evaluate.ts';

export const RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../rules');
export const calendar = loadCalendar();
export const regimes = loadRegimes();
export const defaultRules = loadRules(join(RULES_DIR, 'default'), { regimes });

type AgencyInput = NonNullable<RuleArticle['agencies']>[number];

export function agency(over: Partial<AgencyInput> = {}): AgencyInput {
  return {
    id: '2025-91-so-y-te',
    name: 'Sở Y tế tỉnh An Giang',
    type: 'so-y-te',
    level: 'province',
    province: '91',
    provinceName: 'An Giang',
    validFrom: '2025-07-01',
    validTo: null,
    successors: [],
    mentions: [],
    prominence: 'primary',
    confidence: 0.9,
    ...over,
  };
}

export interface ArticleOver extends Partial<Omit<RuleArticle, 'sensitivity'>> {
  level?: 'normal' | 'sensitive' | 'hot';
  tone?: 'negative' | 'neutral' | 'positive';
  toneByAgency?: Record<string, 'negative' | 'neutral' | 'positive'>;
  categories?: string[];
}

export function article(over: ArticleOver = {}): RuleArticle {
  const { level = 'normal', tone = 'neutral', toneByAgency = {}, categories = [], ...rest } = over;
  return {
    id: 'art-1',
    url: 'https://tinnhanh.example/bai-1.html',
    sourceId: 'tinnhanh',
    outletLevel: 'provincial',
    outletKind: 'e-paper',
    title: 'Tin tức',
    sapo: null,
    body: 'Nội dung bài viết.',
    publishedAt: '2026-11-20T08:30:00+07:00',
    fetchedAt: '2026-11-20T08:45:00+07:00',
    agencies: [agency()],
    sensitivity: { level, score: 0.5, tone, toneByAgency, categories, reasons: [] },
    storyId: null,
    duplicateOf: null,
    ...rest,
  };
}
