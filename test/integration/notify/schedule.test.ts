import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, type Config } from '../../../config/schema.ts';
import { smtpMailer, type Mailer } from '../../../notify/delivery/channels.ts';
import { listDigests } from '../../../notify/digest/archive.ts';
import { digestMessageId } from '../../../notify/digest/mail.ts';
import { digestLeaseName, produceScheduledDigests, type ScheduleDeps } from '../../../notify/digest/schedule.ts';
import { parseDirectory } from '../../../notify/directory/load.ts';
import { importDirectory } from '../../../notify/directory/store.ts';
import { readLease } from '../../../notify/lease.ts';
import { indexArticles } from '../../../store/articles.ts';
import { BulkWriter } from '../../../store/bulk-writer.ts';
import { openTestStore, testLog, type TestStore } from '../../helpers/es.ts';
import { AGENCIES, article } from './fixtures.ts';
import { startSmtp, type MailSink } from './servers.ts';

let store: TestStore;
let smtp: MailSink;
let mailer: Mailer;
let config: Config;
const storageDir = mkdtempSync(join(tmpdir(), 'digest-schedule-'));
const YTE_INBOX = 'vanthu.syt@example.gov.vn';

const deps = (over: Partial<ScheduleDeps> = {}): ScheduleDeps => ({ store, config, mailer, ...over });
const produce = (now: string, over: Partial<ScheduleDeps> = {}) => produceScheduledDigests({ deps: deps(over), now: new Date(now), log: testLog });
const digestMails = (id: string) => smtp.mails.filter((m) => m.messageId === digestMessageId(id));

beforeAll(async () => {
  store = await openTestStore();
  smtp = await startSmtp();
  mailer = smtpMailer(smtp.url);
  config = ConfigSchema.parse({
    elasticsearch: { url: store.config.elasticsearch.url, indexPrefix: store.config.elasticsearch.indexPrefix },
    storageDir,
    notify: {
      smtpUrl: smtp.url,
      digests: [{ province: '91' }, { province: '91', agencyId: AGENCIES.yte.id, recipients: [YTE_INBOX], attach: ['docx'] }],
    },
  });
  const writer = new BulkWriter(store.client, { log: testLog, refresh: 'wait_for' });
  const directory = parseDirectory(
    'inline.yaml',
    `agencies:
  - id: ${AGENCIES.ubnd.id}
    name: ${AGENCIES.ubnd.name}
    spokespersons:
      - { name: Nguyễn Văn Minh, title: Phó Chủ tịch UBND tỉnh, email: nv.minh@example.gov.vn }
    recipients:
      - { email: vanphong.ubnd@example.gov.vn }
  - id: ${AGENCIES.yte.id}
    name: ${AGENCIES.yte.name}
    spokespersons:
      - { name: Lê Quốc Dũng, title: Phó Giám đốc Sở, email: lq.dung@example.gov.vn }
`,
  );
  await importDirectory(store, writer, directory, 'inline.yaml', new Date('2026-11-20T00:00:00+07:00'));
  await indexArticles(
    store,
    writer,
    [
      article({ slug: 'ngo-doc', title: 'Hơn 40 học sinh nhập viện nghi ngộ độc thực phẩm', agencies: [AGENCIES.yte], level: 'hot', storyId: 's1', publishedAt: '2026-11-20T09:15:00+07:00' }),
      article({ slug: 'tiem-chung', title: 'Ngành y tế triển khai tiêm chủng mở rộng đợt 2', agencies: [AGENCIES.yte], tone: 'positive', publishedAt: '2026-11-20T15:00:00+07:00' }),
      article({ slug: 'tai-dinh-cu', title: 'Dự án khu tái định cư chậm tiến độ', agencies: [AGENCIES.ubnd], level: 'sensitive', publishedAt: '2026-11-20T20:00:00+07:00', outlet: 'Báo An Giang' }),
      article({ slug: 'ngay-22', title: 'Tin của ngày hôm sau', agencies: [AGENCIES.ubnd], publishedAt: '2026-11-21T10:00:00+07:00' }),
    ],
    new Date('2026-11-21T06:00:00+07:00'),
  );
});

afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await store?.drop();
});

describe('scheduled daily digests', () => {
  it('a run missed at 07:00 is produced when the process is back: archived and e-mailed once per scope', async () => {
    const out = await produce('2026-11-21T09:40:00+07:00');
    expect(out.map((o) => [o.id, o.status, o.emailed])).toEqual([
      ['tinh-91-2026-11-21', 'produced', true],
      ['2025-91-so-y-te-2026-11-21', 'produced', true],
    ]);

    // The province's review goes to the People's Committee from the directory, PDF and DOCX attached.
    const [prov, ...more] = digestMails('tinh-91-2026-11-21');
    expect(more).toHaveLength(0);
    expect(prov!.subject).toBe('[Điểm báo] Ủy ban nhân dân tỉnh An Giang – ngày 21/11/2026: 3 tin, 2 tin cần lưu ý, xử lý');
    expect(JSON.stringify(prov!.to)).toContain('nv.minh@example.gov.vn');
    expect(JSON.stringify(prov!.to)).toContain('vanphong.ubnd@example.gov.vn');
    expect(prov!.text).toContain('Từ 07:00 ngày 20/11/2026 đến 07:00 ngày 21/11/2026');
    expect(prov!.text).toContain('[Sở Y tế tỉnh An Giang] Hơn 40 học sinh nhập viện nghi ngộ độc thực phẩm');
    // mailparser swaps each cid: link for its attachment's data: URI, so three of them prove the links resolve.
    expect(prov!.html).not.toContain('cid:');
    expect([...(prov!.html as string).matchAll(/<img src="data:image\/png;base64,/g)]).toHaveLength(3);
    expect(prov!.html).not.toContain('<svg');
    const files = prov!.attachments.map((a) => [a.filename, a.contentType, a.contentId ?? null]);
    expect(files).toEqual([
      ['bieu-do-byLevel.png', 'image/png', '<chart-byLevel@press-monitor.local>'],
      ['bieu-do-byOutlet.png', 'image/png', '<chart-byOutlet@press-monitor.local>'],
      ['bieu-do-byAgency.png', 'image/png', '<chart-byAgency@press-monitor.local>'],
      ['diem-bao-tinh-91-2026-11-21.pdf', 'application/pdf', null],
      ['diem-bao-tinh-91-2026-11-21.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', null],
    ]);
    const pdf = prov!.attachments.find((a) => a.filename?.endsWith('.pdf'))!.content;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const docx = await mammoth.extractRawText({ buffer: prov!.attachments.find((a) => a.filename?.endsWith('.docx'))!.content });
    expect(docx.value).toContain('Dự án khu tái định cư chậm tiến độ');
    expect(docx.value).not.toContain('Tin của ngày hôm sau');

    // The agency's review goes to the configured address only, with the DOCX only.
    const [yte] = digestMails('2025-91-so-y-te-2026-11-21');
    expect(JSON.stringify(yte!.to)).toContain(YTE_INBOX);
    expect(JSON.stringify(yte!.to)).not.toContain('lq.dung');
    expect(yte!.attachments.filter((a) => !a.contentId).map((a) => a.filename)).toEqual(['diem-bao-2025-91-so-y-te-2026-11-21.docx']);

    expect((await listDigests(store)).map((d) => d.id).sort()).toEqual(['2025-91-so-y-te-2026-11-21', 'tinh-91-2026-11-21']);
    expect(existsSync(out[0]!.files.pdf!)).toBe(true);
    expect(await readLease(store, digestLeaseName('tinh-91-2026-11-21'))).toMatchObject({ state: 'done', details: { emailed: true, messageId: digestMessageId('tinh-91-2026-11-21') } });
  });

  it('calling again the same day, or before 07:00 the next day, does nothing', async () => {
    const before = smtp.mails.length;
    for (const now of ['2026-11-21T09:41:00+07:00', '2026-11-21T23:59:00+07:00', '2026-11-22T06:59:00+07:00']) {
      expect((await produce(now)).map((o) => o.status)).toEqual(['done-before', 'done-before']);
    }
    expect(smtp.mails.length).toBe(before);
  });

  it('two processes at 07:00 the next day: each digest is produced and sent once', async () => {
    const [a, b] = await Promise.all([produce('2026-11-22T07:00:05+07:00', { owner: 'may-1' }), produce('2026-11-22T07:00:05+07:00', { owner: 'may-2' })]);
    for (const id of ['tinh-91-2026-11-22', '2025-91-so-y-te-2026-11-22']) {
      const statuses = [...a, ...b].filter((o) => o.id === id).map((o) => o.status);
      expect(statuses.filter((s) => s === 'produced')).toHaveLength(1);
      expect(statuses.filter((s) => s !== 'produced').every((s) => s === 'busy' || s === 'done-before')).toBe(true);
      expect(digestMails(id)).toHaveLength(1);
    }
    expect(digestMails('tinh-91-2026-11-22')[0]!.subject).toContain('ngày 22/11/2026: 1 tin, 0 tin cần lưu ý, xử lý');
  });

  it('an SMTP failure is retried later (backing off), then sent once', async () => {
    const failing: Mailer = {
      send: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      },
      close: () => undefined,
    };
    const first = await produce('2026-11-23T07:00:00+07:00', { mailer: failing });
    expect(first.map((o) => [o.status, o.error])).toEqual([
      ['failed', 'connect ECONNREFUSED 127.0.0.1:25'],
      ['failed', 'connect ECONNREFUSED 127.0.0.1:25'],
    ]);
    expect(Date.parse(first[0]!.until!) - Date.parse('2026-11-23T07:00:00+07:00')).toBeGreaterThanOrEqual(5 * 60_000);
    expect((await produce('2026-11-23T07:02:00+07:00')).map((o) => o.status)).toEqual(['waiting-retry', 'waiting-retry']);
    expect(digestMails('tinh-91-2026-11-23')).toHaveLength(0);
    expect((await produce('2026-11-23T07:06:00+07:00')).map((o) => o.status)).toEqual(['produced', 'produced']);
    expect(digestMails('tinh-91-2026-11-23')).toHaveLength(1);
    expect(await readLease(store, digestLeaseName('tinh-91-2026-11-23'))).toMatchObject({ state: 'done', details: { emailed: true } });
  });
});
