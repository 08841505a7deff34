import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DateTime } from 'luxon';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsOf, deadLetters } from '../../../notify/alert-log.ts';
import { fetchPoster, smtpMailer, type Mailer } from '../../../notify/delivery/channels.ts';
import { deliverDue, messageIdOf, type DeliverDeps } from '../../../notify/delivery/deliver.ts';
import { parseDirectory } from '../../../notify/directory/load.ts';
import { importDirectory, loadDirectory, type Directory } from '../../../notify/directory/store.ts';
import { readLease, type LeaseDoc } from '../../../notify/lease.ts';
import { alertBatch, type BatchDeps } from '../../../notify/pipeline.ts';
import { alertId } from '../../../notify/plan.ts';
import { ALERTS_LEASE, notifySettings, runAlerts, type RunAlertsDeps } from '../../../notify/run.ts';
import { ensureDefaultSubscriptions, loadSubscriptions, saveSubscriptions, savedSearch, type Subscription } from '../../../notify/subscriptions.ts';
import { indexArticles } from '../../../store/articles.ts';
import { BulkWriter } from '../../../store/bulk-writer.ts';
import { openTestStore, testLog, type TestStore } from '../../helpers/es.ts';
import { AGENCIES, article, flagDoc } from './fixtures.ts';
import { startSmtp, startWebhook, type HookSink, type MailSink } from './servers.ts';

const SECRET = 'khoa-bi-mat-thu-nghiem-0123456789';
let store: TestStore;
let writer: BulkWriter;
let smtp: MailSink;
let hook: HookSink;
let mailer: Mailer;
let directory: Directory;
let subs: Subscription[];
let clock = new Date('2026-11-20T10:00:00+07:00');
const sleeps: number[] = [];

const batchDeps = (): BatchDeps => ({ store, writer, log: testLog, now: () => clock });
const deliverDeps = (over: Partial<DeliverDeps> = {}): DeliverDeps => ({
  store,
  directory,
  subscriptions: new Map(subs.map((s) => [s.id, s])),
  mailer,
  poster: fetchPoster,
  from: 'Theo dõi báo chí <baochi@example.gov.vn>',
  attempts: 4,
  baseBackoffMs: 1000,
  webhookTimeoutMs: 5000,
  signatureHeader: 'x-monitor-signature',
  now: () => clock,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  log: testLog,
  ...over,
});

async function ingest(...articles: ReturnType<typeof article>[]) {
  await indexArticles(store, writer, articles, clock);
  return alertBatch(batchDeps(), { subscriptions: subs, directory }, articles.map((a) => a.id));
}

const mailsTo = (addr: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(addr));

beforeAll(async () => {
  store = await openTestStore();
  writer = new BulkWriter(store.client, { log: testLog, refresh: 'wait_for' });
  smtp = await startSmtp();
  hook = await startWebhook(SECRET);
  mailer = smtpMailer(smtp.url);
  const file = parseDirectory(
    'inline.yaml',
    `agencies:
  - id: ${AGENCIES.yte.id}
    name: ${AGENCIES.yte.name}
    province: "91"
    spokespersons:
      - { name: Lê Quốc Dũng, title: Phó Giám đốc Sở, email: lq.dung@example.gov.vn, phone: "0296 3852 333" }
    channels:
      email: true
      webhook: { url: "${hook.origin}/hooks/yte", secret: "${SECRET}" }
    defaultMode: hourly
  - id: ${AGENCIES.ubnd.id}
    name: ${AGENCIES.ubnd.name}
    province: "91"
    spokespersons:
      - { name: Nguyễn Văn Minh, title: Phó Chủ tịch UBND tỉnh, email: nv.minh@example.gov.vn }
    recipients:
      - { email: vanphong.ubnd@example.gov.vn }
    defaultMode: daily
  - id: ${AGENCIES.nnmt.id}
    name: ${AGENCIES.nnmt.name}
    province: "91"
    channels:
      webhook: { url: "${hook.origin}/hooks/nnmt-down", secret: "${SECRET}" }
`,
  );
  await importDirectory(store, writer, file, 'inline.yaml', clock);
  directory = await loadDirectory(store);
  await ensureDefaultSubscriptions(store, writer, directory.values(), clock);
  await saveSubscriptions(store, writer, [
    savedSearch({ name: 'Sạt lở ở An Giang', agencyId: AGENCIES.ubnd.id, query: 'sat lo bo song', filters: { provinces: ['91'] }, channels: ['email'], mode: 'immediate' }, clock),
  ]);
  subs = await loadSubscriptions(store);
});

afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await hook?.close();
  await store?.drop();
});

describe('alerts to agencies', () => {
  it('imports the directory and creates one default subscription per reachable agency', () => {
    expect(directory.size).toBe(3);
    const defaults = subs.filter((s) => s.isDefault).map((s) => [s.agencyId, s.channels.join('+'), s.mode]);
    expect(defaults).toEqual(
      expect.arrayContaining([
        [AGENCIES.yte.id, 'email+webhook', 'hourly'],
        [AGENCIES.ubnd.id, 'email', 'daily'],
        [AGENCIES.nnmt.id, 'webhook', 'daily'],
      ]),
    );
    expect(subs).toHaveLength(4);
  });

  it('sends a hot flagged article at once by e-mail and signed webhook; copies of the story do not re-alert', async () => {
    const hot = article({
      slug: 'ngo-doc-thuc-pham-truong-hoc',
      title: 'Hơn 40 học sinh nhập viện nghi ngộ độc thực phẩm sau bữa trưa bán trú',
      sapo: 'Sở Y tế tỉnh An Giang đã vào cuộc xác minh nguồn gốc thực phẩm tại bếp ăn bán trú của trường.',
      agencies: [AGENCIES.yte],
      level: 'hot',
      reasons: ['ngộ độc tập thể', 'học sinh nhập viện'],
      storyId: 'story-ngodoc',
    });
    await store.client.index({ index: store.names.alias('flags'), id: 'f1', document: flagDoc(hot.id, AGENCIES.yte.id, '2026-11-21T09:00:00+07:00', 'story-ngodoc'), refresh: 'wait_for' });
    hook.failFirst.set('/hooks/yte', 2);
    const planned = await ingest(hot);
    expect(planned.alerts.map((a) => [a.channel, a.mode, a.level])).toEqual([
      ['email', 'immediate', 'hot'],
      ['webhook', 'immediate', 'hot'],
    ]);
    const res = await deliverDue(deliverDeps());
    expect(res).toMatchObject({ sent: 2, dead: 0 });

    const [mail, ...more] = mailsTo('lq.dung@example.gov.vn');
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('[Cần xử lý] Sở Y tế tỉnh An Giang: Hơn 40 học sinh nhập viện nghi ngộ độc thực phẩm sau bữa trưa bán trú');
    expect(mail!.messageId).toBe(messageIdOf(alertId('default:2025-91-so-y-te', 'story-ngodoc', 'email', 'hot')));
    expect(mail!.text).toContain('Báo: Báo Tin Nhanh – 08:30 ngày 20/11/2026');
    expect(mail!.text).toContain('Mức độ: Nóng (ngộ độc tập thể; học sinh nhập viện)');
    expect(mail!.text).toContain('Cần phát ngôn, cung cấp thông tin cho báo chí – hạn 09:00 ngày 21/11/2026');
    expect(mail!.text).toContain(hot.canonicalUrl);
    expect(mail!.html).toContain(`href="${hot.canonicalUrl}"`);
    expect(mail!.html).toContain('Sở Y tế tỉnh An Giang đã vào cuộc xác minh');

    // The webhook failed twice, then got through on the 3rd attempt, with exponential backoff between.
    const calls = hook.calls.filter((c) => c.path === '/hooks/yte');
    expect(calls.map((c) => c.status)).toEqual([503, 503, 200]);
    expect(sleeps.slice(0, 2)).toEqual([1000, 2000]);
    expect(calls.every((c) => c.signatureOk)).toBe(true);
    const payload = calls[2]!.json as { agency: { name: string }; items: Array<{ title: string; levelLabel: string; flags: Array<{ deadline: string; label: string }> }> };
    expect(payload.agency.name).toBe('Sở Y tế tỉnh An Giang');
    expect(payload.items[0]).toMatchObject({ title: hot.title, levelLabel: 'Nóng' });
    expect(payload.items[0]!.flags[0]!.label).toBe('Cần phát ngôn, cung cấp thông tin cho báo chí');
    const log = await alertsOf(store, { term: { channel: 'webhook' } });
    expect(log.find((a) => a.agencyId === AGENCIES.yte.id)).toMatchObject({ status: 'sent', attempts: 3 });

    // Two copies of the same story, later, same level: nothing new.
    const copies = [1, 2].map((n) =>
      article({ slug: `ngo-doc-ban-sao-${n}`, title: hot.title!, sapo: hot.sapo!, agencies: [AGENCIES.yte], level: 'hot', storyId: 'story-ngodoc', duplicateOf: hot.id, outlet: 'Báo An Giang' }),
    );
    const again = await ingest(...copies);
    expect(again.matches).toBe(2);
    expect(again.alerts).toHaveLength(0);
    expect((await deliverDue(deliverDeps())).messages).toBe(0);
    expect(mailsTo('lq.dung@example.gov.vn')).toHaveLength(1);
  });

  it('batches normal items by the subscription mode and re-alerts when the story level rises', async () => {
    const normal = article({
      slug: 'kenh-nam-can-nao-vet',
      title: 'Người dân phản ánh kênh nội đồng bị bồi lắng, chưa được nạo vét',
      sapo: 'Nhiều hộ dân xã Vĩnh Hòa cho biết tuyến kênh chính bị bồi lắng nhiều năm.',
      agencies: [AGENCIES.ubnd],
      storyId: 'story-kenh',
    });
    const planned = await ingest(normal);
    expect(planned.alerts).toHaveLength(1);
    expect(planned.alerts[0]).toMatchObject({ channel: 'email', mode: 'daily', level: 'normal', dueAt: '2026-11-21T00:00:00.000Z' });
    expect((await deliverDue(deliverDeps())).messages).toBe(0); // not due before 07:00 tomorrow

    const worse = article({
      slug: 'kenh-nam-can-sat-lo',
      title: 'Kênh nội đồng bồi lắng gây ngập, người dân bức xúc',
      agencies: [AGENCIES.ubnd],
      level: 'sensitive',
      reasons: ['phản ánh bức xúc của người dân'],
      storyId: 'story-kenh',
    });
    const risen = await ingest(worse);
    expect(risen.alerts.map((a) => [a.level, a.mode])).toEqual([['sensitive', 'immediate']]);
    await deliverDue(deliverDeps());
    const toUbnd = mailsTo('nv.minh@example.gov.vn');
    expect(toUbnd.map((m) => m.subject)).toEqual(['[Tin nhạy cảm] Ủy ban nhân dân tỉnh An Giang: Kênh nội đồng bồi lắng gây ngập, người dân bức xúc']);
    expect(JSON.stringify(toUbnd[0]!.to)).toContain('vanphong.ubnd@example.gov.vn');

    // The next morning the daily batch goes out as one digest-like message.
    clock = new Date('2026-11-21T07:05:00+07:00');
    const res = await deliverDue(deliverDeps());
    expect(res.sent).toBe(1);
    const daily = mailsTo('nv.minh@example.gov.vn').at(-1)!;
    expect(daily.subject).toBe('[Tổng hợp hằng ngày] 1 tin báo chí liên quan đến Ủy ban nhân dân tỉnh An Giang');
    expect(daily.text).toContain('Người dân phản ánh kênh nội đồng bị bồi lắng');
  });

  it('matches saved searches with folded text (no diacritics in the query)', async () => {
    const before = mailsTo('nv.minh@example.gov.vn').length;
    const a = article({
      slug: 'sat-lo-bo-song-hau',
      title: 'Sạt lở bờ sông Hậu uy hiếp nhiều nhà dân',
      sapo: 'Khoảng 30 m bờ sông bị sạt lở trong đêm.',
      agencies: [AGENCIES.nnmt],
      storyId: 'story-satlo',
    });
    const off = article({ slug: 'mua-lua-bo-song', title: 'Mùa lúa mới bên bờ sông', agencies: [AGENCIES.nnmt] });
    const planned = await ingest(a, off);
    const bySearch = planned.alerts.filter((x) => x.subscriptionId.startsWith('search:'));
    expect(bySearch.map((x) => x.articleIds)).toEqual([[a.id]]);
    await deliverDue(deliverDeps());
    const got = mailsTo('nv.minh@example.gov.vn').slice(before);
    expect(got.map((m) => m.subject)).toEqual(['[Tin mới] Ủy ban nhân dân tỉnh An Giang: Sạt lở bờ sông Hậu uy hiếp nhiều nhà dân']);
  });

  it('dead-letters a webhook that always fails, after every retry', async () => {
    hook.failFirst.set('/hooks/nnmt-down', Infinity);
    const res = await deliverDue(deliverDeps({ now: () => new Date('2026-11-22T08:00:00+07:00') }));
    expect(res.dead).toBeGreaterThanOrEqual(1);
    const dead = await deadLetters(store);
    expect(dead.map((d) => d.agencyId)).toContain(AGENCIES.nnmt.id);
    expect(dead[0]).toMatchObject({ status: 'dead', attempts: 4, channel: 'webhook' });
    expect(dead[0]!.lastError).toContain('HTTP 503');
    // The daily alerts of one subscription travel as one message: 4 attempts in all.
    expect(hook.calls.filter((c) => c.path === '/hooks/nnmt-down').length).toBe(4);
  });

  it('re-running the same batch plans nothing new (idempotent ids)', async () => {
    const all = await alertsOf(store);
    const ids = (await store.client.search({ index: store.names.alias('articles'), size: 100, _source: false })).hits.hits.map((h) => h._id!);
    const res = await alertBatch(batchDeps(), { subscriptions: subs, directory }, ids);
    expect(res.created).toBe(0);
    expect(await alertsOf(store)).toHaveLength(all.length);
  });
});

describe('a crash in the middle of delivery', () => {
  it('after writing pending: the restart sends it exactly once', async () => {
    clock = new Date('2026-11-22T10:00:00+07:00');
    const a = article({ slug: 'benh-vien-qua-tai', title: 'Bệnh viện tuyến tỉnh quá tải, bệnh nhân nằm ghép', agencies: [AGENCIES.yte], level: 'sensitive', storyId: 'story-quatai' });
    await ingest(a); // …and the process dies before delivering
    const pending = (await alertsOf(store, { term: { storyId: 'story-quatai' } })).filter((x) => x.status === 'pending');
    expect(pending).toHaveLength(2);
    await deliverDue(deliverDeps()); // restart
    await deliverDue(deliverDeps()); // and another run
    const subject = '[Tin nhạy cảm] Sở Y tế tỉnh An Giang: Bệnh viện tuyến tỉnh quá tải, bệnh nhân nằm ghép';
    expect(smtp.mails.filter((m) => m.subject === subject)).toHaveLength(1);
    expect(hook.calls.filter((c) => c.status === 200 && (c.json as { items: Array<{ title: string }> }).items[0]!.title === a.title)).toHaveLength(1);
  });

  it('after sending, before marking sent: the restart re-sends with the same Message-ID and nothing is lost', async () => {
    const a = article({ slug: 'thieu-thuoc', title: 'Trạm y tế xã thiếu thuốc điều trị bệnh mạn tính', agencies: [AGENCIES.yte], level: 'sensitive', storyId: 'story-thuoc' });
    await ingest(a);
    await expect(
      deliverDue(
        deliverDeps({
          afterSend: () => {
            throw new Error('simulated crash');
          },
        }),
      ),
    ).rejects.toThrow('simulated crash');
    expect((await alertsOf(store, { term: { storyId: 'story-thuoc' } })).every((x) => x.status === 'pending')).toBe(true);
    await deliverDue(deliverDeps());
    await deliverDue(deliverDeps());
    const got = smtp.mails.filter((m) => m.subject?.includes('Trạm y tế xã thiếu thuốc'));
    // At most the one unavoidable resend, recognisable by its Message-ID: one distinct message, none lost.
    expect(got.length).toBeLessThanOrEqual(2);
    expect(new Set(got.map((m) => m.messageId)).size).toBe(1);
    const hooks = hook.calls.filter((c) => c.status === 200 && c.body.includes('Trạm y tế xã thiếu thuốc'));
    expect(new Set(hooks.map((c) => c.key)).size).toBe(1);
    expect((await alertsOf(store, { term: { storyId: 'story-thuoc' } })).map((x) => x.status)).toEqual(['sent', 'sent']);
  });
});

describe('the alerts-run lease', () => {
  const storageDir = mkdtempSync(join(tmpdir(), 'alerts-lease-'));
  const runDeps = (over: Partial<RunAlertsDeps> = {}): RunAlertsDeps => ({
    store,
    config: { ...store.config, storageDir, notify: { ...notifySettings(store.config), smtpUrl: smtp.url } },
    log: testLog,
    now: () => clock,
    mailer,
    poster: fetchPoster,
    sleep: async () => undefined,
    ...over,
  });
  const subjectsOf = (title: string) => smtp.mails.filter((m) => m.subject?.endsWith(`: ${title}`));
  const writeLease = (doc: Partial<LeaseDoc>) =>
    store.client.index({
      index: store.names.alias('leases'),
      id: ALERTS_LEASE,
      document: { id: ALERTS_LEASE, state: 'held', acquiredAt: doc.expiresAt, renewedAt: doc.expiresAt, releasedAt: null, completedAt: null, details: {}, ...doc },
      refresh: 'wait_for',
    });

  it('two concurrent runs: one delivers, the other finds the lease taken; every alert goes out exactly once', async () => {
    clock = new Date('2026-11-23T09:00:00+07:00');
    // Everything left from the tests above is matched by the first run; only these two are new.
    await runAlerts(runDeps());
    const a = article({ slug: 'chay-cho-dem', title: 'Cháy lớn tại chợ đêm, nhiều ki-ốt bị thiêu rụi', agencies: [AGENCIES.yte], level: 'hot', storyId: 'story-chay' });
    const b = article({ slug: 'o-nhiem-kenh', title: 'Kênh nội ô ô nhiễm nặng, người dân bức xúc', agencies: [AGENCIES.ubnd], level: 'sensitive', storyId: 'story-onhiem' });
    await indexArticles(store, writer, [a, b], clock);

    const [r1, r2] = await Promise.all([runAlerts(runDeps({ lease: { owner: 'run-1' } })), runAlerts(runDeps({ lease: { owner: 'run-2' } }))]);
    const busy = [r1, r2].filter((r) => r.busy);
    expect(busy).toHaveLength(1);
    expect(busy[0]!.busy!.owner).toMatch(/^run-[12]$/);
    expect(busy[0]!.delivery.messages).toBe(0);
    expect(subjectsOf(a.title!)).toHaveLength(1);
    expect(subjectsOf(b.title!)).toHaveLength(1);
    expect(hook.calls.filter((c) => c.status === 200 && c.body.includes(a.title!))).toHaveLength(1);
    expect(await readLease(store, ALERTS_LEASE)).toMatchObject({ state: 'released' });
  });

  it('runs that wait for the lease go one after the other; the second finds nothing left to send', async () => {
    const c = article({ slug: 'sap-cau-tam', title: 'Sập cầu tạm ở xã vùng sâu, học sinh phải lội nước đến trường', agencies: [AGENCIES.ubnd], level: 'hot', storyId: 'story-cau' });
    await indexArticles(store, writer, [c], clock);
    // Both willing to wait: whichever wins the race delivers, the other goes next.
    const wait = { waitMs: 60_000, pollMs: 100 };
    const [r1, r2] = await Promise.all([runAlerts(runDeps({ lease: { owner: 'first', ...wait } })), runAlerts(runDeps({ lease: { owner: 'second', ...wait } }))]);
    expect([r1.busy, r2.busy]).toEqual([null, null]);
    expect(r1.delivery.sent + r2.delivery.sent).toBe(1);
    expect(subjectsOf(c.title!)).toHaveLength(1);
  });

  it('a live lease of another process blocks the run, with a clear log line', async () => {
    const d = article({ slug: 'ngap-duong', title: 'Mưa lớn gây ngập sâu nhiều tuyến đường trung tâm', agencies: [AGENCIES.ubnd], level: 'sensitive', storyId: 'story-ngap' });
    await indexArticles(store, writer, [d], clock);
    // Lease expiry is wall time (the data clock of a demo or a test says nothing about a process being alive).
    const until = new Date(Date.now() + 90_000);
    await writeLease({ owner: 'may-chu-khac:4242:abcd', expiresAt: until.toISOString() });
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, cb) => (lines.push(chunk.toString('utf8')), cb()) }));
    const r = await runAlerts(runDeps({ log }));
    expect(r.busy).toEqual({ owner: 'may-chu-khac:4242:abcd', until: until.toISOString() });
    expect(subjectsOf(d.title!)).toHaveLength(0);
    const local = DateTime.fromJSDate(until).setZone('Asia/Ho_Chi_Minh').toISO({ suppressMilliseconds: true });
    expect(lines.join('')).toContain(`another alerts run holds the lease until ${local} (may-chu-khac:4242:abcd)`);
  });

  it('an expired lease (its holder crashed) is taken over and the run delivers', async () => {
    const title = 'Mưa lớn gây ngập sâu nhiều tuyến đường trung tâm';
    // The holder above stopped renewing: seen 91 s later, its lease has expired.
    const r = await runAlerts(runDeps({ lease: { owner: 'new-run', now: () => new Date(Date.now() + 91_000) } }));
    expect(r.busy).toBeNull();
    expect(subjectsOf(title)).toHaveLength(1);
    expect(await readLease(store, ALERTS_LEASE)).toMatchObject({ owner: 'new-run', state: 'released' });
  });
});
