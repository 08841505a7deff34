import { describe, expect, it } from 'vitest';
import { ConfigSchema, type ConfigInput } from '../../../config/schema.ts';
import { digestMail, digestMessageId } from '../../../notify/digest/mail.ts';
import { buildDigest } from '../../../notify/digest/model.ts';
import { defaultRecipients, dueDigests } from '../../../notify/digest/schedule.ts';
import { parseDirectory } from '../../../notify/directory/load.ts';
import { caseStateLabel, flagLabel } from '../../../notify/labels.ts';

const config = (notify: ConfigInput['notify']) => ConfigSchema.parse({ notify });
const at = (iso: string) => new Date(iso);
const dates = (now: string, notify: ConfigInput['notify']) => dueDigests(at(now), config(notify)).map((d) => [d.id, d.date, d.from, d.to]);

describe('scheduled digests: what is due', () => {
  const province = { digests: [{ province: '91' }] };

  it('nothing without a notify section or configured digests (existing configs stay valid)', () => {
    expect(dueDigests(at('2026-11-21T08:00:00+07:00'), ConfigSchema.parse({}))).toEqual([]);
    expect(dueDigests(at('2026-11-21T08:00:00+07:00'), config({}))).toEqual([]);
    expect(config({}).notify!.digests).toEqual([]);
  });

  it('is today from 07:00 local, yesterday before it', () => {
    expect(dates('2026-11-21T06:59:59+07:00', province)).toEqual([['tinh-91-2026-11-20', '2026-11-20', '2026-11-19T07:00:00+07:00', '2026-11-20T07:00:00+07:00']]);
    expect(dates('2026-11-21T07:00:00+07:00', province)).toEqual([['tinh-91-2026-11-21', '2026-11-21', '2026-11-20T07:00:00+07:00', '2026-11-21T07:00:00+07:00']]);
    expect(dates('2026-11-21T23:59:00+07:00', province)[0]![1]).toBe('2026-11-21');
  });

  it('counts in Asia/Ho_Chi_Minh whatever the clock zone: 00:30 UTC is 07:30 local', () => {
    expect(dates('2026-11-21T00:30:00Z', province)[0]![1]).toBe('2026-11-21');
    expect(dates('2026-11-20T23:59:00Z', province)[0]![1]).toBe('2026-11-20'); // 06:59 on the 21st locally
    // The UTC date is still the 20th, the local one already the 21st.
    expect(dates('2026-11-20T17:30:00Z', { digestTime: '00:15', digests: [{ province: '91' }] })[0]![1]).toBe('2026-11-21');
  });

  it("a late time crosses the day boundary: at 00:10 the 23:30 digest due is yesterday's", () => {
    expect(dates('2026-11-21T00:10:00+07:00', { digestTime: '23:30', digests: [{ province: '91' }] })).toEqual([
      ['tinh-91-2026-11-20', '2026-11-20', '2026-11-19T23:30:00+07:00', '2026-11-20T23:30:00+07:00'],
    ]);
    expect(dates('2027-01-01T06:00:00+07:00', province)[0]![1]).toBe('2026-12-31');
  });

  it('a missed run (process down at 07:00) is still due when it comes back, until the next one replaces it', () => {
    expect(dates('2026-11-21T15:42:00+07:00', province)[0]![0]).toBe('tinh-91-2026-11-21');
    expect(dates('2026-11-22T06:30:00+07:00', province)[0]![0]).toBe('tinh-91-2026-11-21');
    expect(dates('2026-11-22T07:01:00+07:00', province)[0]![0]).toBe('tinh-91-2026-11-22');
  });

  it('per scope: its own time, recipients and attachments; a scope listed twice is one digest', () => {
    const due = dueDigests(
      at('2026-11-21T08:00:00+07:00'),
      config({
        digests: [
          { province: '91' },
          { province: '91', agencyId: '2025-91-so-y-te', time: '17:00', recipients: ['vanthu.syt@example.gov.vn'], attach: ['docx'] },
          { province: '91' },
        ],
      }),
    );
    expect(due.map((d) => [d.id, d.time, d.dueAt, d.recipients, d.attach])).toEqual([
      ['tinh-91-2026-11-21', '07:00', '2026-11-21T07:00:00+07:00', [], ['pdf', 'docx']],
      ['2025-91-so-y-te-2026-11-20', '17:00', '2026-11-20T17:00:00+07:00', ['vanthu.syt@example.gov.vn'], ['docx']],
    ]);
  });

  it('rejects a bad scope in the configuration, naming the field', () => {
    const res = ConfigSchema.safeParse({ notify: { digests: [{ province: 'An Giang', recipients: ['khong-phai-email'] }] } });
    expect(res.success).toBe(false);
    expect(res.error!.issues.map((i) => i.path.join('.'))).toEqual(['notify.digests.0.province', 'notify.digests.0.recipients.0']);
  });

  it("sends to the agency, or for a province to the People's Committee, from the directory", () => {
    const dir = parseDirectory(
      'd.yaml',
      `agencies:
  - { id: 2025-91-ubnd-tinh, name: Ủy ban nhân dân tỉnh An Giang, spokespersons: [{ name: Nguyễn Văn Minh, title: Phó Chủ tịch, email: NV.Minh@example.gov.vn }], recipients: [{ email: vanphong@example.gov.vn }] }
  - { id: 2025-91-so-y-te, name: Sở Y tế tỉnh An Giang, recipients: [{ email: syt@example.gov.vn }] }
`,
    );
    const directory = new Map(dir.agencies.map((a) => [a.id, a]));
    expect(defaultRecipients({ province: '91', agencyId: null }, directory)).toEqual(['nv.minh@example.gov.vn', 'vanphong@example.gov.vn']);
    expect(defaultRecipients({ province: '91', agencyId: '2025-91-so-y-te' }, directory)).toEqual(['syt@example.gov.vn']);
    expect(defaultRecipients({ province: '51', agencyId: null }, directory)).toEqual([]);
  });
});

describe('labels: codes never reach an official', () => {
  it('labels case states from the workflow file, legacy codes from notify/labels.ts, unknown ones generically', () => {
    expect(caseStateLabel('dang-xu-ly')).toBe('Đang xử lý');
    expect(caseStateLabel('da-gui-de-nghi-cai-chinh', 'stale label')).toBe('Đã gửi đề nghị cải chính');
    expect(caseStateLabel('letter_sent')).toBe('Đã gửi đề nghị cải chính');
    expect(caseStateLabel('open')).toBe('Mới');
    expect(caseStateLabel('cho-y-kien', 'chờ ý kiến lãnh đạo')).toBe('Chờ ý kiến lãnh đạo');
    expect(caseStateLabel('xyz_unknown')).toBe('Chưa xác định');
    expect(caseStateLabel(null)).toBe('Chưa xác định');
    expect(flagLabel('needs_response')).toBe('Cần phát ngôn, cung cấp thông tin cho báo chí');
    expect(flagLabel('some_new_kind')).not.toContain('some_new_kind');
  });
});

describe('the digest e-mail', () => {
  const d = buildDigest({
    scope: { province: '91', agencyId: null },
    orgName: 'Ủy ban nhân dân tỉnh An Giang',
    date: '2026-11-21',
    from: '2026-11-20T07:00:00+07:00',
    to: '2026-11-21T07:00:00+07:00',
    items: [
      {
        articleId: 'a',
        storyId: 's',
        outlet: 'Báo Tin Nhanh',
        publishedAt: '2026-11-20T09:00:00+07:00',
        title: 'Ngộ độc <thực phẩm>',
        url: 'https://tinnhanh.example.vn/a.html',
        sapo: null,
        agencies: [{ id: '2025-91-so-y-te', name: 'Sở Y tế tỉnh An Giang', prominence: 'primary' }],
        level: 'hot',
        tone: 'negative',
        reasons: [],
        flags: [],
        copies: 1,
        isCopy: false,
      },
    ],
    agencyNames: new Map(),
    cases: [{ id: 'c', agencyId: '2025-91-so-y-te', state: 'moi', stateLabel: 'Mới', deadline: '2026-11-21T06:00:00+07:00', overdue: true, title: 'Vụ ngộ độc' }],
    generatedAt: '2026-11-21T07:05:00+07:00',
  });

  it('has a Vietnamese subject and summary, charts by cid, the files attached, a stable Message-ID', () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const charts = (['byLevel', 'byOutlet', 'byAgency'] as const).map((key) => ({ key, title: key, png, width: 560, height: 200 }));
    const m = digestMail(d, charts, { pdf: Buffer.from('%PDF-') });
    expect(m.subject).toBe('[Điểm báo] Ủy ban nhân dân tỉnh An Giang – ngày 21/11/2026: 1 tin, 1 tin cần lưu ý, xử lý');
    expect(m.text).toContain('1. [Sở Y tế tỉnh An Giang] Ngộ độc <thực phẩm> – Báo Tin Nhanh – Nóng');
    expect(m.text).toContain('Bản đầy đủ trong tệp đính kèm (PDF).');
    expect(m.html).toContain('src="cid:chart-byOutlet@press-monitor.local"');
    expect(m.html).not.toContain('<svg');
    expect(m.html).toContain('Ngộ độc &lt;thực phẩm&gt;');
    expect(m.html).toContain('>Mới<');
    expect(m.html).toContain('(quá hạn)');
    expect(m.attachments.map((a) => [a.filename, a.contentType, a.cid ?? null])).toEqual([
      ['bieu-do-byLevel.png', 'image/png', 'chart-byLevel@press-monitor.local'],
      ['bieu-do-byOutlet.png', 'image/png', 'chart-byOutlet@press-monitor.local'],
      ['bieu-do-byAgency.png', 'image/png', 'chart-byAgency@press-monitor.local'],
      ['diem-bao-tinh-91-2026-11-21.pdf', 'application/pdf', null],
    ]);
    expect(m.messageId).toBe(digestMessageId('tinh-91-2026-11-21'));
    expect(digestMail(d, null, {}).html).not.toContain('cid:');
  });
});
