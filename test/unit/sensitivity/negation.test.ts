import { describe, expect, it } from 'vitest';
import { cancelled, evidence, fired } from './helpers.ts';

describe('negation', () => {
  it.each([
    ['Thanh tra không phát hiện sai phạm tại dự án', 'sai phạm'],
    ['Chưa phát hiện dấu hiệu sai phạm trong đấu thầu', 'sai phạm'],
    ['Không có người tử vong trong vụ việc', 'tử vong'],
    ['Chưa có dấu hiệu ô nhiễm tại khu nuôi cá', 'ô nhiễm'],
    ['Không hề có chuyện lãng phí như phản ánh', 'lãng phí'],
    ['Không phát hiện trường hợp nào mắc sốt xuất huyết', 'sốt xuất huyết'],
    ['Chưa ghi nhận ca ngộ độc thực phẩm nào', 'ngộ độc thực phẩm'],
    ['Khong phat hien sai pham tai du an', 'sai phạm'],
  ])('«%s» cancels «%s»', (title, term) => {
    const ev = evidence(title);
    expect(cancelled(ev)).toContain(term);
    expect(fired(ev)).not.toContain(term);
  });

  it('one cue covers a coordination inside its window', () => {
    const ev = evidence('Không có tai nạn và cháy nổ trong dịp lễ');
    expect(cancelled(ev)).toEqual(['tai nạn', 'cháy nổ']);
  });

  it('does not reach past its window', () => {
    const ev = evidence('Không ai ngờ rằng sau nhiều năm tranh chấp kéo dài');
    expect(fired(ev)).toContain('tranh chấp');
  });

  it('does not cross a clause boundary', () => {
    const ev = evidence('Không có người bị thương, nhưng nhiều nhà bị sập');
    expect(cancelled(ev)).toEqual(['bị thương']);
    expect(fired(ev)).toEqual(['bị sập']);
    const comma = evidence('Không có gì bất thường, tử vong do bệnh lý');
    expect(fired(comma)).toEqual(['tử vong']);
  });

  it('look-alikes of cues do not negate: "không khí", "không chỉ", "không ít"', () => {
    expect(fired(evidence('Không khí ô nhiễm nặng ở khu công nghiệp'))).toEqual(['ô nhiễm']);
    expect(fired(evidence('Không chỉ lãng phí mà còn thất thoát'))).toEqual(['lãng phí', 'thất thoát']);
    expect(fired(evidence('Không ít người dân bức xúc'))).toEqual(['người dân bức xúc']);
  });

  it('longer terms that start with a cue are terms, not negations', () => {
    expect(fired(evidence('Sở không trả lời báo chí'))).toEqual(['không trả lời']);
    expect(fired(evidence('Nạn nhân không qua khỏi'))).toEqual(['không qua khỏi']);
    expect(fired(evidence('Chi không đúng quy định'))).toEqual(['không đúng quy định']);
  });

  it('topic words marked negatable: false survive ("chưa được bồi thường" is worse, not better)', () => {
    expect(fired(evidence('Người dân chưa được bồi thường'))).toEqual(['bồi thường']);
  });

  it('a negated positive word becomes a weak negative tone word', () => {
    const ev = evidence('Dự án chưa hoàn thành sau 5 năm');
    expect(cancelled(ev)).toEqual(['hoàn thành']);
    expect(ev.negative).toBeGreaterThan(0);
    expect(ev.positive).toBe(0);
  });
});

describe('prevention', () => {
  it('prevention and vaccination campaigns do not report an incident', () => {
    expect(fired(evidence('Tuyên truyền phòng tránh đuối nước cho học sinh'))).toEqual([]);
    expect(fired(evidence('Tiêm vắc xin sởi cho trẻ em vùng sâu'))).toEqual([]);
    expect(cancelled(evidence('Phòng chống dịch sốt xuất huyết mùa mưa'))).toContain('sốt xuất huyết');
  });
});

describe('denial', () => {
  it('a denial in the title weakens the denied allegation and adds press_conduct evidence', () => {
    const plain = evidence('Cán bộ nhận hối lộ');
    const denied = evidence('UBND huyện bác bỏ thông tin cán bộ nhận hối lộ');
    const v = (e: typeof plain) => e.categories.find((c) => c.code === 'violation')?.score ?? 0;
    expect(v(denied)).toBeCloseTo(0.3 * v(plain), 6);
    expect(denied.categories.find((c) => c.code === 'press_conduct')?.score).toBeGreaterThan(0);
    expect(denied.denied.map((h) => h.entry.phrase)).toEqual(['nhận hối lộ']);
  });

  it('a denied grave fact is no longer strong', () => {
    expect(evidence('Giám đốc sở bị bắt').strongHead.length).toBe(1);
    expect(evidence('Thông tin giám đốc sở bị bắt là sai sự thật').strongHead.length).toBe(0);
  });

  it('a denial in the body covers its sentence and the one before (the allegation)', () => {
    const ev = evidence(
      'Lên tiếng về thông tin trên mạng',
      'Mạng xã hội lan truyền clip sập cầu Cái Tàu. Khu Quản lý đường bộ khẳng định đây là tin giả. Tuy vậy, tai nạn giao thông vẫn xảy ra ở nơi khác.',
    );
    expect(ev.denied.map((h) => h.entry.phrase)).toEqual(['sập cầu']);
    expect(fired(ev)).toContain('tai nạn giao thông');
    expect(ev.denied.map((h) => h.entry.phrase)).not.toContain('tai nạn giao thông');
  });
});
