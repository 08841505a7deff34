/** Test articles, agencies and a directory for the notify tests (fictional people, @example.gov.vn). */
import { makeArticle } from '../../helpers/articles.ts';
import type { AgencyTag, Article, SensitivityLevel, Tone } from '../../../model/records.ts';

export const AGENCIES = {
  yte: { id: '2025-91-so-y-te', name: 'Sở Y tế tỉnh An Giang' },
  ubnd: { id: '2025-91-ubnd-tinh', name: 'Ủy ban nhân dân tỉnh An Giang' },
  nnmt: { id: '2025-91-so-nn-mt', name: 'Sở Nông nghiệp và Môi trường tỉnh An Giang' },
} as const;

export function tag(a: { id: string; name: string }, prominence: AgencyTag['prominence'] = 'primary'): AgencyTag {
  return {
    id: a.id,
    name: a.name,
    type: a.id.split('-').slice(2).join('-'),
    level: 'province',
    province: '91',
    provinceName: 'An Giang',
    validFrom: '2025-07-01',
    validTo: null,
    successors: [],
    mentions: [],
    prominence,
    confidence: 0.9,
  };
}

export interface ArticleSpec {
  slug: string;
  title: string;
  sapo?: string;
  body?: string;
  agencies: Array<{ id: string; name: string }>;
  level?: SensitivityLevel;
  tone?: Tone;
  reasons?: string[];
  storyId?: string;
  duplicateOf?: string;
  publishedAt?: string;
  outlet?: string;
}

export function article(s: ArticleSpec): Article & { outletName: string } {
  const outlet = s.outlet ?? 'Báo Tin Nhanh';
  return {
    ...makeArticle({
      canonicalUrl: `https://tinnhanh.example.vn/${s.slug}.html`,
      title: s.title,
      sapo: s.sapo ?? null,
      body: s.body ?? s.sapo ?? s.title,
      sourceId: outlet === 'Báo Tin Nhanh' ? 'tinnhanh' : 'baoangiang',
      publishedAt: s.publishedAt ?? '2026-11-20T08:30:00+07:00',
      agencies: s.agencies.map((a) => tag(a)),
      sensitivity: {
        level: s.level ?? 'normal',
        score: s.level === 'hot' ? 0.9 : s.level === 'sensitive' ? 0.6 : 0.1,
        tone: s.tone ?? (s.level && s.level !== 'normal' ? 'negative' : 'neutral'),
        toneByAgency: {},
        categories: s.level === 'hot' ? ['y-te'] : [],
        reasons: s.reasons ?? [],
      },
      storyId: s.storyId ?? null,
      duplicateOf: s.duplicateOf ?? null,
    }),
    outletName: outlet,
  };
}

export function flagDoc(articleId: string, agencyId: string, deadline: string, storyId: string | null) {
  return {
    id: `${articleId.slice(0, 20)}-${agencyId}`,
    articleId,
    agencyId,
    province: '91',
    ruleId: 'nong-24h',
    kind: 'needs_response',
    priority: 1,
    deadline,
    regime: 'luat-2016',
    reasons: ['Vụ việc nóng liên quan trực tiếp đến cơ quan: người phát ngôn phải cung cấp thông tin trong 24 giờ'],
    storyId,
    createdAt: '2026-11-20T09:00:00+07:00',
    updatedAt: '2026-11-20T09:00:00+07:00',
  };
}
