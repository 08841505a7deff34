/** Hand-written flags and article refs shared by the case tests. */
import { flagId, type Flag } from '../../../rules/engine/flag.ts';
import type { ArticleRef, FlagForCase } from '../../../rules/cases/schema.ts';

export const FC_ARTICLE: ArticleRef = {
  id: 'a-fc',
  url: 'http://127.0.0.1:8101/so-y-te-quang-ngai-bi-to-giau-o-dich-bach-hau-o-vung-cao-12.html',
  title: 'Sở Y tế Quảng Ngãi bị tố “giấu” ổ dịch bạch hầu ở vùng cao',
  outletId: 'mau-tinnhanh',
  outletName: 'Báo điện tử Tin Nhanh',
  outletKind: 'e-paper',
  publishedAt: '2026-11-19T08:00:00+07:00',
};

export function makeFlag(over: Partial<Flag> & { storyId?: string | null; article?: ArticleRef } = {}): FlagForCase {
  const articleId = over.articleId ?? over.article?.id ?? FC_ARTICLE.id;
  const agencyId = over.agencyId ?? '2025-51-so-y-te';
  const ruleId = over.ruleId ?? 'spokesperson-hot-event';
  return {
    id: flagId(articleId, agencyId, ruleId),
    articleId,
    agencyId,
    ruleId,
    kind: over.kind ?? 'needs_response',
    priority: over.priority ?? 1,
    deadline: over.deadline === undefined ? '2026-11-20T08:00:00+07:00' : over.deadline,
    regime: over.regime ?? 'luat-126-2025',
    reasons: ['Cần phát ngôn trong 24 giờ'],
    storyId: over.storyId === undefined ? 'story-sontay' : over.storyId,
    province: '51',
    article: over.article ?? { ...FC_ARTICLE, id: articleId },
  };
}
