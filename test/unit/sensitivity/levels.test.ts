import { describe, expect, it } from 'vitest';
import { Sensitivity } from '../../../model/records.ts';
import { createSensitivityScorer } from '../../../pipeline/sensitivity/index.ts';

const scorer = createSensitivityScorer();

describe('levels on hand-written articles', () => {
  it.each([
    [
      'hot',
      'Bắt tạm giam Phó Chủ tịch UBND xã nhận hối lộ khi cấp sổ đỏ',
      'Công an tỉnh cho biết ông P. đã nhận 200 triệu đồng của nhiều hộ dân để làm nhanh thủ tục cấp giấy chứng nhận quyền sử dụng đất.',
    ],
    [
      'hot',
      'Lật ghe trên sông Tiền, 2 người mất tích',
      'Chiếc ghe chở 6 người bị sóng đánh lật giữa sông. Lực lượng cứu hộ đã cứu được 4 người, đang tìm kiếm 2 người mất tích.',
    ],
    [
      'hot',
      'Hơn 50 học sinh nhập viện nghi ngộ độc thực phẩm sau bữa ăn bán trú',
      'Các em có biểu hiện đau bụng, nôn ói, phải đưa đi cấp cứu tại bệnh viện huyện. Ngành y tế đã lấy mẫu thức ăn.',
    ],
    [
      'sensitive',
      'Người dân bức xúc vì trại gà gây mùi hôi suốt nhiều tháng',
      'Các hộ dân đã gửi đơn phản ánh đến UBND xã nhưng chưa được giải quyết.',
    ],
    [
      'sensitive',
      'Sở Xây dựng né tránh báo chí về chất lượng tuyến đường mới làm',
      'Phóng viên đã gửi câu hỏi từ hai tuần trước nhưng sở chưa phản hồi.',
    ],
    [
      'sensitive',
      'Sở Y tế bác bỏ tin đồn bệnh viện giấu ca tử vong',
      'Sở Y tế khẳng định thông tin lan truyền trên mạng là không đúng sự thật và đề nghị người dân không chia sẻ.',
    ],
    [
      'normal',
      'Khánh thành trường mầm non mới tại xã Mỹ Hiệp',
      'Ngôi trường có 10 phòng học, tổng vốn 15 tỷ đồng, được đưa vào sử dụng từ năm học mới.',
    ],
    [
      'normal',
      'Thanh tra không phát hiện sai phạm tại dự án nâng cấp kênh thủy lợi',
      'Đoàn thanh tra kết luận việc đấu thầu, nghiệm thu được thực hiện đúng quy định.',
    ],
    [
      'normal',
      'Tuyên truyền phòng tránh đuối nước cho học sinh dịp hè',
      'Các trường học tổ chức dạy bơi miễn phí và hướng dẫn kỹ năng an toàn khi đi tắm sông, suối.',
    ],
  ] as const)('%s: %s', (level, title, body) => {
    const s = scorer.score({ title, body });
    expect(s.level).toBe(level);
    expect(() => Sensitivity.parse(s)).not.toThrow();
  });

  it('orders scores hot > sensitive > normal and keeps them in [0, 1]', () => {
    const hot = scorer.score({
      title: 'Cháy nhà trong đêm, ba người tử vong',
      body: 'Lực lượng chức năng đang điều tra nguyên nhân.',
    });
    const sensitive = scorer.score({
      title: 'Người dân phản ánh đường làng xuống cấp',
      body: 'Nhiều ổ gà gây nguy hiểm cho học sinh.',
    });
    const normal = scorer.score({
      title: 'Hội nghị tổng kết công tác năm của Sở Tư pháp',
      body: 'Sở đề ra nhiệm vụ trọng tâm năm mới.',
    });
    expect(hot.score).toBeGreaterThan(sensitive.score);
    expect(sensitive.score).toBeGreaterThan(normal.score);
    for (const s of [hot, sensitive, normal]) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it('a denial keeps an allegation of arrest from becoming hot', () => {
    const alleged = scorer.score({
      title: 'Giám đốc Sở Xây dựng bị bắt',
      body: 'Cơ quan điều tra đã bắt tạm giam giám đốc sở.',
    });
    const denied = scorer.score({
      title: 'Bác bỏ thông tin Giám đốc Sở Xây dựng bị bắt',
      body: 'Văn phòng UBND tỉnh khẳng định thông tin này là sai sự thật, giám đốc sở vẫn làm việc bình thường.',
    });
    expect(alleged.level).toBe('hot');
    expect(denied.level).toBe('sensitive');
    expect(denied.categories).toContain('press_conduct');
  });

  it('handles an article without sapo or body', () => {
    const s = scorer.score({ title: 'Ba người tử vong trong vụ sập giàn giáo', sapo: null, body: null });
    expect(s.level).toBe('hot');
  });
});

describe('reasons in Vietnamese', () => {
  it('says why: grave facts first, then categories with terms and the field they were found in', () => {
    const s = scorer.score({
      title: 'Chủ tịch UBND xã bị khởi tố vì nhận hối lộ',
      body: 'Cơ quan điều tra xác định ông H. đã nhận hối lộ 300 triệu đồng.',
    });
    expect(s.level).toBe('hot');
    expect(s.reasons[0]).toBe('Tình tiết nghiêm trọng: «bị khởi tố» (tiêu đề)');
    expect(s.reasons[1]).toMatch(
      /^Vi phạm, tham nhũng: «nhận hối lộ» \(tiêu đề, nội dung\), «bị khởi tố» \(tiêu đề\)/,
    );
    expect(s.reasons[1]).toContain('có cán bộ, công chức liên quan');
    expect(s.reasons.at(-1)).toMatch(/^Mức nóng: điểm 1,00 \(ngưỡng nhạy cảm \d,\d\d, nóng \d,\d\d\)$/);
    expect(s.categories[0]).toBe('violation');
  });

  it('explains negations and denials that lowered the level', () => {
    const n = scorer.score({
      title: 'Không phát hiện sai phạm tại dự án',
      body: 'Đoàn kiểm tra kết luận đúng quy định.',
    });
    expect(n.reasons).toContain('Không tính do phủ định: «không phát hiện» … «sai phạm»');
    const d = scorer.score({
      title: 'Sở Y tế bác bỏ thông tin bệnh viện giấu ca tử vong',
      body: 'Người dân không nên hoang mang.',
    });
    expect(
      d.reasons.some(
        (r) =>
          r.startsWith('Có phủ nhận, bác bỏ thông tin: «bác bỏ thông tin» (tiêu đề)') &&
          r.includes('«tử vong»'),
      ),
    ).toBe(true);
  });

  it('lists positive activity as a reason for normal items', () => {
    const s = scorer.score({ title: 'Khánh thành cầu mới', body: 'Người dân phấn khởi.' });
    expect(s.reasons).toContain('Hoạt động, tin tích cực: «khánh thành» (tiêu đề)');
    expect(s.tone).toBe('positive');
  });
});
