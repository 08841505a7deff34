/**
 * Every default rule with examples that must and must not flag. Deadlines are worked out by hand from the
 * calendar (see the comments), not read back from the engine.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../../../rules/engine/evaluate.ts';
import type { Flag } from '../../../rules/engine/flag.ts';
import { agency, article, calendar, defaultRules, regimes } from './helpers.ts';
import type { ArticleOver } from './helpers.ts';

const NEW = '2026-11-20T08:30:00+07:00'; // Friday, Luật Báo chí 2025
const OLD = '2025-03-05T14:00:00+07:00'; // Wednesday, Luật Báo chí 2016
const END = 'T23:59:59+07:00';

function flags(over: ArticleOver): Flag[] {
  return evaluateRules(article(over), defaultRules, { calendar, regimes });
}
function flag(over: ArticleOver, ruleId: string): Flag | undefined {
  return flags(over).find((f) => f.ruleId === ruleId);
}
function ruleIds(over: ArticleOver): string[] {
  return flags(over).map((f) => f.ruleId);
}

it('the default set has the expected rules', () => {
  expect(defaultRules.rules.map((r) => r.id).sort()).toEqual(
    [
      'correction-review-false-info',
      'escalate-amplified-story',
      'escalate-hot-negative',
      'escalate-national-sensitive',
      'escalate-official-violation',
      'forwarded-complaint',
      'forwarded-criticism',
      'press-head-reply-request',
      'spokesperson-divided-opinion',
      'spokesperson-hot-event',
      'spokesperson-press-request',
    ].sort(),
  );
});

describe('spokesperson-hot-event', () => {
  const hot: ArticleOver = { level: 'hot', tone: 'negative', categories: ['accident'], publishedAt: NEW };
  it('flags a hot matter of the primary agency: initial information within 24 hours', () => {
    const f = flag(hot, 'spokesperson-hot-event')!;
    expect(f).toMatchObject({
      kind: 'needs_response',
      priority: 1,
      regime: 'luat-126-2025',
      deadline: '2026-11-21T08:30:00+07:00',
    });
    expect(f.reasons[0]).toBe(
      'Bài viết nêu vấn đề nóng thuộc phạm vi quản lý của Sở Y tế tỉnh An Giang: người phát ngôn cần phát ngôn, cung cấp thông tin ban đầu cho báo chí, chậm nhất 08:30 ngày 21/11/2026.',
    );
    expect(f.reasons.join('\n')).toContain('khoản 3 Điều 7 Nghị định số 244/2026/NĐ-CP');
  });
  it('cites NĐ 09/2017 under the old regime', () => {
    const f = flag({ ...hot, publishedAt: OLD }, 'spokesperson-hot-event')!;
    expect(f).toMatchObject({ regime: 'luat-103-2016', deadline: '2025-03-06T14:00:00+07:00' });
    expect(f.reasons.join('\n')).toContain('điểm a khoản 3 Điều 6 Nghị định số 09/2017/NĐ-CP');
  });
  it('does not flag positive news, a secondary mention, a sensitive (not hot) item or a non-administrative body', () => {
    expect(ruleIds({ ...hot, tone: 'positive' })).not.toContain('spokesperson-hot-event');
    expect(ruleIds({ ...hot, agencies: [agency({ prominence: 'secondary' })] })).not.toContain(
      'spokesperson-hot-event',
    );
    expect(ruleIds({ ...hot, level: 'sensitive' })).not.toContain('spokesperson-hot-event');
    const tinhUy = agency({ id: '2025-91-tinh-uy', name: 'Tỉnh ủy An Giang', type: 'tinh-uy' });
    expect(ruleIds({ ...hot, agencies: [tinhUy] })).not.toContain('spokesperson-hot-event');
    // …but leadership still hears about it
    expect(ruleIds({ ...hot, agencies: [tinhUy] })).toContain('escalate-hot-negative');
  });
  it('uses the tone toward that agency, not the overall tone', () => {
    expect(
      ruleIds({ ...hot, tone: 'negative', toneByAgency: { '2025-91-so-y-te': 'positive' } }),
    ).not.toContain('spokesperson-hot-event');
  });
});

describe('spokesperson-divided-opinion', () => {
  const base: ArticleOver = { level: 'sensitive', tone: 'negative', categories: ['land'] };
  it('new regime: 24 hours', () => {
    expect(flag({ ...base, publishedAt: NEW }, 'spokesperson-divided-opinion')).toMatchObject({
      priority: 2,
      deadline: '2026-11-21T08:30:00+07:00',
    });
  });
  it('old regime: promptly, no fixed deadline', () => {
    const f = flag({ ...base, publishedAt: OLD }, 'spokesperson-divided-opinion')!;
    expect(f.deadline).toBeNull();
    expect(f.reasons[0]).toContain('thời hạn: kịp thời');
  });
  it('needs a matter that stirs opinion: a category or wording', () => {
    expect(ruleIds({ ...base, categories: ['activity'] })).not.toContain('spokesperson-divided-opinion');
    expect(
      ruleIds({ ...base, categories: ['activity'], body: 'Việc thu phí gây bức xúc trong dư luận.' }),
    ).toContain('spokesperson-divided-opinion');
  });
  it('does not flag a neutral report', () => {
    expect(ruleIds({ ...base, tone: 'neutral' })).not.toContain('spokesperson-divided-opinion');
  });
});

describe('spokesperson-press-request', () => {
  const body = 'Phóng viên đã liên hệ nhiều lần nhưng đến nay Sở Y tế vẫn chưa có phản hồi.';
  it('flags an unanswered press request, with or without diacritics', () => {
    const f = flag({ body, tone: 'neutral' }, 'spokesperson-press-request')!;
    expect(f).toMatchObject({ kind: 'needs_response', priority: 2, deadline: null });
    expect(f.reasons).toContain('Bài viết có cụm từ “chưa có phản hồi” (nội dung)');
    expect(ruleIds({ body: 'Den nay So Y te van chua co phan hoi.', tone: 'neutral' })).toContain(
      'spokesperson-press-request',
    );
  });
  it('does not flag an answered request or a positive article', () => {
    expect(ruleIds({ body: 'Sở Y tế đã có phản hồi ngay trong ngày.' })).not.toContain(
      'spokesperson-press-request',
    );
    expect(ruleIds({ body, tone: 'positive' })).not.toContain('spokesperson-press-request');
  });
});

describe('correction-review-false-info', () => {
  it('flags press-conduct coverage that claims the information is false', () => {
    expect(
      flag(
        { categories: ['press_conduct'], tone: 'neutral', body: 'Báo đưa tin không đúng sự thật về việc thu phí.' },
        'correction-review-false-info',
      ),
    ).toMatchObject({
      kind: 'correction_review',
      priority: 2,
      deadline: null,
    });
  });
  it('does not ask for a correction when the agency avoided the press (that calls for a statement)', () => {
    expect(
      ruleIds({ categories: ['press_conduct'], tone: 'negative', body: 'UBND huyện né tránh báo chí, chậm trả lời phóng viên.' }),
    ).not.toContain('correction-review-false-info');
  });
  it('flags negative coverage that talks of false information', () => {
    const f = flag(
      { tone: 'negative', title: 'Thông tin sai sự thật về Sở Y tế?' },
      'correction-review-false-info',
    )!;
    expect(f.reasons).toContain('Bài viết có cụm từ “sai sự thật” (tiêu đề)');
    expect(f.reasons[0]).toContain('Pháp luật không quy định thời hạn');
  });
  it('does not flag the wording in a neutral article nor a passing mention', () => {
    expect(ruleIds({ tone: 'neutral', body: 'Công an xử phạt người tung tin sai sự thật.' })).not.toContain(
      'correction-review-false-info',
    );
    expect(
      ruleIds({ categories: ['press_conduct'], agencies: [agency({ prominence: 'passing' })] }),
    ).not.toContain('correction-review-false-info');
  });
});

describe('forwarded-criticism', () => {
  const body = 'Báo đã chuyển đơn của bà con đến cơ quan chức năng đề nghị xem xét.';
  it('old regime: 30 days — Wed 05/03/2025 → Fri 04/04/2025', () => {
    expect(flag({ body, tone: 'negative', publishedAt: OLD }, 'forwarded-criticism')).toMatchObject({
      kind: 'needs_response',
      deadline: `2025-04-04${END}`,
      regime: 'luat-103-2016',
    });
  });
  it('new regime: 15 working days — Fri 20/11/2026 → Fri 11/12/2026', () => {
    const f = flag({ body, tone: 'negative', publishedAt: NEW }, 'forwarded-criticism')!;
    expect(f.deadline).toBe(`2026-12-11${END}`);
    expect(f.reasons.join('\n')).toContain('độ tin cậy M');
  });
  it('does not flag criticism that was not forwarded, nor a complaint (handled by forwarded-complaint)', () => {
    expect(ruleIds({ body: 'Người dân phản ánh đường xuống cấp.', tone: 'negative' })).not.toContain(
      'forwarded-criticism',
    );
    expect(
      ruleIds({ body: 'Báo đã chuyển đơn khiếu nại của bà con đến cơ quan chức năng.', tone: 'negative' }),
    ).not.toContain('forwarded-criticism');
  });
});

describe('forwarded-complaint', () => {
  const body = 'Bà N. gửi đơn đến Báo tố cáo cán bộ địa chính xã.';
  it('old regime: 30 days', () => {
    expect(flag({ body, publishedAt: OLD }, 'forwarded-complaint')).toMatchObject({
      deadline: `2025-04-04${END}`,
    });
  });
  it('new regime: per the complaint and denunciation laws — no deadline here', () => {
    const f = flag({ body, publishedAt: NEW }, 'forwarded-complaint')!;
    expect(f.deadline).toBeNull();
    expect(f.reasons[0]).toContain('theo thời hạn của pháp luật chuyên ngành');
  });
  it('does not flag a denunciation the press did not forward', () => {
    expect(ruleIds({ body: 'Nhiều hộ dân tố cáo doanh nghiệp xả thải.' })).not.toContain(
      'forwarded-complaint',
    );
  });
});

describe('press-head-reply-request', () => {
  const body = 'Tòa soạn đề nghị Sở Y tế sớm có câu trả lời trên báo để bạn đọc được rõ.';
  it('30 days in both regimes; 20/12/2026 is a Sunday → Monday 21/12/2026', () => {
    expect(flag({ body, publishedAt: NEW }, 'press-head-reply-request')).toMatchObject({
      deadline: `2026-12-21${END}`,
    });
    expect(flag({ body, publishedAt: OLD }, 'press-head-reply-request')).toMatchObject({
      deadline: `2025-04-04${END}`,
    });
  });
  it('does not flag an article without such a request', () => {
    expect(ruleIds({ body: 'Sở Y tế tổ chức hội nghị.' })).not.toContain('press-head-reply-request');
  });
});

describe('escalate-official-violation', () => {
  const base: ArticleOver = {
    level: 'sensitive',
    tone: 'negative',
    categories: ['violation'],
    body: 'Thanh tra phát hiện nhiều sai phạm trong đấu thầu thiết bị y tế.',
  };
  it('escalates a violation by the agency at sensitive level and above', () => {
    expect(flag(base, 'escalate-official-violation')).toMatchObject({
      kind: 'escalate',
      priority: 1,
      deadline: null,
    });
    expect(ruleIds({ ...base, level: 'hot' })).toContain('escalate-official-violation');
  });
  it('does not escalate at normal level, without the violation category, or without misconduct wording', () => {
    expect(ruleIds({ ...base, level: 'normal' })).not.toContain('escalate-official-violation');
    expect(ruleIds({ ...base, categories: ['land'] })).not.toContain('escalate-official-violation');
    expect(ruleIds({ ...base, body: 'Đoàn kiểm tra làm việc với Sở.' })).not.toContain(
      'escalate-official-violation',
    );
  });
});

describe('escalate-hot-negative', () => {
  it('escalates a hot negative item, not a hot neutral one', () => {
    expect(flag({ level: 'hot', tone: 'negative' }, 'escalate-hot-negative')).toMatchObject({
      kind: 'escalate',
      priority: 1,
    });
    expect(ruleIds({ level: 'hot', tone: 'neutral' })).not.toContain('escalate-hot-negative');
  });
});

describe('escalate-national-sensitive', () => {
  const base: ArticleOver = {
    level: 'sensitive',
    tone: 'negative',
    outletLevel: 'national',
    sourceId: 'tinnhanh',
  };
  it('escalates sensitive negative coverage in a national outlet', () => {
    const f = flag(base, 'escalate-national-sensitive')!;
    expect(f).toMatchObject({ priority: 2 });
    expect(f.reasons).toContain('Cơ quan báo chí tinnhanh thuộc cấp trung ương');
  });
  it('not in a provincial outlet', () => {
    expect(ruleIds({ ...base, outletLevel: 'provincial' })).not.toContain('escalate-national-sensitive');
  });
});

describe('escalate-amplified-story', () => {
  const story = { outlets: ['tinnhanh', 'baoangiang', 'ptthquangngai'], articleCount: 5 };
  it('escalates a negative story carried by 3 outlets, also for a secondary agency', () => {
    const f = flag({ tone: 'negative', story }, 'escalate-amplified-story')!;
    expect(f.reasons).toContain('Sự việc được 3 cơ quan báo chí đưa tin (5 bài)');
    expect(ruleIds({ tone: 'negative', story, agencies: [agency({ prominence: 'secondary' })] })).toContain(
      'escalate-amplified-story',
    );
  });
  it('not with 2 outlets, without story information, or for a positive story', () => {
    expect(ruleIds({ tone: 'negative', story: { outlets: 2, articleCount: 6 } })).not.toContain(
      'escalate-amplified-story',
    );
    expect(ruleIds({ tone: 'negative' })).not.toContain('escalate-amplified-story');
    expect(ruleIds({ tone: 'positive', story })).not.toContain('escalate-amplified-story');
  });
});

describe('guards shared by every rule file', () => {
  const everything: ArticleOver = {
    level: 'hot',
    tone: 'negative',
    categories: ['violation', 'press_conduct', 'land'],
    outletLevel: 'national',
    title: 'Sai phạm, thông tin sai sự thật',
    body: 'Báo đã chuyển đơn đến cơ quan chức năng. Tòa soạn đề nghị trả lời trên báo. Sở vẫn chưa có phản hồi.',
    story: { outlets: 9, articleCount: 20 },
  };
  it('the kitchen-sink article flags the primary agency under many rules', () => {
    expect(flags(everything).length).toBeGreaterThanOrEqual(8);
  });
  it('passing mentions are never flagged', () => {
    expect(flags({ ...everything, agencies: [agency({ prominence: 'passing' })] })).toEqual([]);
  });
  it('low-confidence agency tags are never flagged', () => {
    expect(flags({ ...everything, agencies: [agency({ confidence: 0.3 })] })).toEqual([]);
  });
  it('republished copies are not flagged again', () => {
    expect(flags({ ...everything, duplicateOf: 'art-0' })).toEqual([]);
  });
});
