import { describe, expect, it } from 'vitest';
import { createSensitivityScorer } from '../../../pipeline/sensitivity/index.ts';
import { mention } from './helpers.ts';

const scorer = createSensitivityScorer();

describe('tone per agency', () => {
  it('one agency praised and another criticised in the same article', () => {
    const title = 'Khen thưởng Sở Y tế, phê bình UBND xã Tân Hội';
    const body =
      'UBND tỉnh khen thưởng Sở Y tế vì đã xử lý kịp thời, hiệu quả đợt dịch sốt xuất huyết. ' +
      'Trong khi đó, UBND xã Tân Hội bị phê bình vì chậm trễ, thiếu trách nhiệm để người dân lấn chiếm đất công kéo dài.';
    const s = scorer.score({
      title,
      body,
      agencies: [
        {
          id: '2025-91-so-y-te',
          mentions: [mention('title', title, 'Sở Y tế'), mention('body', body, 'Sở Y tế')],
        },
        {
          id: '2025-c30604-ubnd',
          mentions: [mention('title', title, 'UBND xã Tân Hội'), mention('body', body, 'UBND xã Tân Hội')],
        },
      ],
    });
    expect(s.toneByAgency).toEqual({ '2025-91-so-y-te': 'positive', '2025-c30604-ubnd': 'negative' });
  });

  it('praise and criticism in two clauses of one sentence', () => {
    const body =
      'Sở Nông nghiệp và Môi trường được người dân khen ngợi, còn UBND xã Bình Trị bị phản ánh làm ngơ trước tình trạng xả thải.';
    const s = scorer.score({
      title: 'Xả thải ra kênh: dân khen sở, chê xã',
      body,
      agencies: [
        { id: 'so-nn-mt', mentions: [mention('body', body, 'Sở Nông nghiệp và Môi trường')] },
        { id: 'ubnd-xa', mentions: [mention('body', body, 'UBND xã Bình Trị')] },
      ],
    });
    expect(s.toneByAgency['so-nn-mt']).toBe('positive');
    expect(s.toneByAgency['ubnd-xa']).toBe('negative');
  });

  it('the agency that acts on an incident is not blamed for it; the one whose official is arrested is', () => {
    const title = 'Cán bộ địa chính xã bị bắt vì nhận hối lộ';
    const body =
      'Công an tỉnh An Giang đã khởi tố bị can, bắt tạm giam ông T., cán bộ địa chính UBND xã Bình An, về tội nhận hối lộ.';
    const s = scorer.score({
      title,
      body,
      agencies: [
        { id: 'cong-an', mentions: [mention('body', body, 'Công an tỉnh An Giang')] },
        { id: 'ubnd-xa', mentions: [mention('body', body, 'UBND xã Bình An')] },
      ],
    });
    expect(s.level).toBe('hot');
    expect(s.tone).toBe('negative');
    expect(s.toneByAgency).toEqual({ 'cong-an': 'neutral', 'ubnd-xa': 'negative' });
  });

  it('words of the agency name never count as evidence ("Ban Chỉ đạo phòng, chống tham nhũng")', () => {
    const title = 'Ban Chỉ đạo phòng, chống tham nhũng tỉnh họp phiên thường kỳ';
    const s = scorer.score({
      title,
      body: 'Hội nghị thống nhất chương trình công tác quý II.',
      agencies: [
        { id: 'bcd', mentions: [mention('title', title, 'Ban Chỉ đạo phòng, chống tham nhũng tỉnh')] },
      ],
    });
    expect(s.categories).not.toContain('violation');
    expect(s.level).toBe('normal');
  });

  it('locates mentions given as offsets in NFD text', () => {
    const body = 'Người dân phản ánh Ủy ban nhân dân xã Tân Hội chậm trễ, làm ngơ trước sai phạm.'.normalize(
      'NFD',
    );
    const name = 'Ủy ban nhân dân xã Tân Hội'.normalize('NFD');
    const s = scorer.score({
      title: 'Phản ánh của người dân',
      body,
      agencies: [{ id: 'x', mentions: [mention('body', body, name)] }],
    });
    expect(s.toneByAgency.x).toBe('negative');
  });

  it('falls back to the overall tone when a mention cannot be located', () => {
    const s = scorer.score({
      title: 'Khánh thành cầu mới, người dân phấn khởi',
      body: 'Cây cầu giúp học sinh đi lại thuận lợi.',
      agencies: [
        { id: 'ghost', mentions: [{ field: 'body', start: 500, end: 520, text: 'Sở Giao thông vận tải' }] },
      ],
    });
    expect(s.toneByAgency.ghost).toBe(s.tone);
  });
});

describe('overall tone', () => {
  it.each([
    ['negative', 'Người dân bức xúc vì bãi rác bốc mùi hôi thối', 'Chính quyền chậm trễ xử lý.'],
    ['positive', 'Khánh thành nhà văn hóa, người dân phấn khởi', 'Công trình được đưa vào sử dụng đúng hạn.'],
    [
      'neutral',
      'Lịch tiếp công dân của Chủ tịch UBND tỉnh tháng 6',
      'Chủ tịch UBND tỉnh tiếp công dân vào ngày 15.',
    ],
  ] as const)('%s: %s', (tone, title, body) => {
    expect(scorer.score({ title, body }).tone).toBe(tone);
  });
});
