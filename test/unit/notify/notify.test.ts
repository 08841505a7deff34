import { describe, expect, it } from 'vitest';
import type { Item } from '../../../notify/content.ts';
import { withRetries } from '../../../notify/delivery/channels.ts';
import { groupDue, messageKey } from '../../../notify/delivery/deliver.ts';
import { sign, verify } from '../../../notify/delivery/hmac.ts';
import { parseDirectory } from '../../../notify/directory/load.ts';
import { buildDigest, digestPeriod, needsAttention } from '../../../notify/digest/model.ts';
import { passesFilters, toBatchDoc, type Match } from '../../../notify/match.ts';
import { alertId, dueAtFor, planAlerts } from '../../../notify/plan.ts';
import { renderAlertEmail, webhookPayload, type AlertMessage } from '../../../notify/render-alert.ts';
import { defaultSubscription, subscriptionQuery } from '../../../notify/subscriptions.ts';
import { DataFileError } from '../../../lib/yaml-file.ts';

const YTE = '2025-91-so-y-te';
const now = new Date('2026-11-20T10:00:00+07:00');
const directoryYaml = `agencies:
  - id: ${YTE}
    name: Sở Y tế tỉnh An Giang
    spokespersons:
      - { name: Lê Quốc Dũng, title: Phó Giám đốc Sở, email: lq.dung@example.gov.vn }
    channels:
      webhook: { url: "http://127.0.0.1:9/h", secret: "0123456789abcdef0123" }
`;

function item(over: Partial<Item>): Item {
  return {
    articleId: 'a1',
    storyId: 's1',
    outlet: 'Báo Tin Nhanh',
    publishedAt: '2026-11-20T08:30:00+07:00',
    title: 'Tiêu đề',
    url: 'https://tinnhanh.example.vn/a1.html',
    sapo: 'Tóm tắt bài viết.',
    agencies: [{ id: YTE, name: 'Sở Y tế tỉnh An Giang', prominence: 'primary' }],
    level: 'normal',
    tone: 'neutral',
    reasons: [],
    flags: [],
    copies: 1,
    isCopy: false,
    ...over,
  };
}

describe('directory import', () => {
  it('parses YAML and names file, line and field on errors', () => {
    expect(parseDirectory('d.yaml', directoryYaml).agencies[0]!.defaultMode).toBe('daily');
    const bad = directoryYaml.replace('lq.dung@example.gov.vn', 'khong-phai-email');
    try {
      parseDirectory('d.yaml', bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DataFileError);
      expect((err as Error).message).toMatch(/^d\.yaml:5:\d+: agencies\[0\]\.spokespersons\[0\]\.email: not a valid e-mail address/);
    }
    expect(() => parseDirectory('d.json', '{"agencies":[{"id":"x","name":"A"}]}')).toThrow(/d\.json:1:\d+: agencies\[0\]\.id: an agency id/);
  });
});

describe('matching and planning', () => {
  const entry = parseDirectory('d.yaml', directoryYaml).agencies[0]!;
  const sub = defaultSubscription(entry, now)!;
  const doc = (id: string, level: 'normal' | 'sensitive' | 'hot', storyId: string | null = 's1') =>
    toBatchDoc({ id, storyId, agencyIds: [YTE], provinces: ['91'], sensitivity: { level }, sourceId: 'tinnhanh' });

  it('evaluates keyword filters like ES terms', () => {
    expect(passesFilters({ agencyIds: [YTE] }, doc('a', 'normal'))).toBe(true);
    expect(passesFilters({ agencyIds: [YTE], levels: ['hot'] }, doc('a', 'normal'))).toBe(false);
    expect(passesFilters({ outlets: ['tinnhanh'], provinces: ['91'] }, doc('a', 'hot'))).toBe(true);
    expect(JSON.stringify(subscriptionQuery({ ...sub, query: 'sạt lở' }, ['a']))).toContain('"sat lo"');
  });

  it('plans one alert per story and channel, at the highest level, immediate when hot', () => {
    const docs = new Map([doc('a', 'normal'), doc('b', 'hot'), doc('c', 'normal', null)].map((d) => [d.id, d]));
    const matches: Match[] = [...docs.keys()].map((id) => ({ subscriptionId: sub.id, agencyId: YTE, articleId: id, storyId: docs.get(id)!.storyId, level: docs.get(id)!.level }));
    const alerts = planAlerts({ matches, docs, subscriptions: new Map([[sub.id, sub]]), directory: new Map([[YTE, entry]]), flagged: new Set(), alerted: new Map(), now });
    expect(alerts.map((a) => [a.storyId, a.channel, a.level, a.mode])).toEqual([
      ['s1', 'email', 'hot', 'immediate'],
      ['s1', 'webhook', 'hot', 'immediate'],
      ['article:c', 'email', 'normal', 'daily'],
      ['article:c', 'webhook', 'normal', 'daily'],
    ]);
    expect(alerts[0]!.id).toBe(alertId(sub.id, 's1', 'email', 'hot'));
    expect(alerts[0]!.articleIds).toEqual(['a', 'b']);
    // Already alerted at "hot": nothing; alerted at "normal" only: the rise re-alerts.
    const again = (rank: number) => planAlerts({ matches, docs, subscriptions: new Map([[sub.id, sub]]), directory: new Map([[YTE, entry]]), flagged: new Set(), alerted: new Map([[`${sub.id}|s1|email`, rank]]), now }).filter((a) => a.storyId === 's1' && a.channel === 'email');
    expect(again(2)).toHaveLength(0);
    expect(again(0)).toHaveLength(1);
  });

  it('schedules batches on the next hour or the next daily hour (local time)', () => {
    expect(dueAtFor('hourly', now)).toBe('2026-11-20T04:00:00.000Z');
    expect(dueAtFor('daily', now)).toBe('2026-11-21T00:00:00.000Z');
    expect(dueAtFor('daily', new Date('2026-11-20T06:00:00+07:00'))).toBe('2026-11-20T00:00:00.000Z');
  });

  it('groups due alerts: immediate alone, batches per subscription and channel', () => {
    const base = { subscriptionId: 's', channel: 'email' as const };
    const groups = groupDue([
      { ...base, id: '1', mode: 'immediate' },
      { ...base, id: '2', mode: 'immediate' },
      { ...base, id: '3', mode: 'daily' },
      { ...base, id: '4', mode: 'daily' },
    ] as never);
    expect(groups.map((g) => g.map((a) => a.id))).toEqual([['1'], ['2'], ['3', '4']]);
    expect(messageKey(groups[0]!)).toBe('1');
    expect(messageKey(groups[2]!)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('messages', () => {
  const msg: AlertMessage = {
    alertIds: ['x'],
    key: 'x',
    subscriptionId: 'default:y',
    subscriptionName: 'Tin liên quan đến Sở Y tế tỉnh An Giang',
    agencyId: YTE,
    agencyName: 'Sở Y tế tỉnh An Giang',
    mode: 'immediate',
    generatedAt: now.toISOString(),
    items: [item({ title: 'Ngộ độc <tập thể>', level: 'hot', reasons: ['ngộ độc'], copies: 3, flags: [{ agencyId: YTE, kind: 'needs_response', deadline: '2026-11-21T09:00:00+07:00', reasons: ['Phát ngôn trong 24 giờ'] }] })],
  };

  it('renders a Vietnamese e-mail with escaped HTML and the flag deadline', () => {
    const m = renderAlertEmail(msg);
    expect(m.subject).toBe('[Cần xử lý] Sở Y tế tỉnh An Giang: Ngộ độc <tập thể>');
    expect(m.text).toContain('Việc cần làm: Cần phát ngôn, cung cấp thông tin cho báo chí – hạn 09:00 ngày 21/11/2026');
    expect(m.text).toContain('Số bài cùng sự việc: 3');
    expect(m.html).toContain('Ngộ độc &lt;tập thể&gt;');
    expect(m.html).not.toContain('<tập thể>');
    expect(webhookPayload(msg).items[0]!.flags[0]!.label).toBe('Cần phát ngôn, cung cấp thông tin cho báo chí');
    expect(renderAlertEmail({ ...msg, mode: 'hourly', items: [item({}), item({ articleId: 'b' })] }).subject).toBe('[Tổng hợp theo giờ] 2 tin báo chí liên quan đến Sở Y tế tỉnh An Giang');
  });

  it('signs and verifies webhook bodies with HMAC-SHA256', () => {
    const sig = sign('bi-mat', '1700000000', '{"a":"Ủy ban"}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verify('bi-mat', '1700000000', '{"a":"Ủy ban"}', sig)).toBe(true);
    expect(verify('bi-mat', '1700000001', '{"a":"Ủy ban"}', sig)).toBe(false);
    expect(verify('khac', '1700000000', '{"a":"Ủy ban"}', sig)).toBe(false);
    expect(verify('bi-mat', '1700000000', '{"a":"Ủy ban"}', undefined)).toBe(false);
  });

  it('retries with exponential backoff, then gives up', async () => {
    const waits: number[] = [];
    let calls = 0;
    const ok = await withRetries(async () => {
      if (++calls < 3) throw new Error('503');
    }, { attempts: 5, baseMs: 100, sleep: async (ms) => void waits.push(ms) });
    expect(ok).toEqual({ ok: true, attempts: 3 });
    expect(waits).toEqual([100, 200]);
    const bad = await withRetries(async () => {
      throw new Error('down');
    }, { attempts: 3, baseMs: 10, sleep: async () => undefined });
    expect(bad).toEqual({ ok: false, attempts: 3, error: 'down' });
  });
});

describe('digest model', () => {
  it('covers the 24 h ending at the configured local time', () => {
    expect(digestPeriod('2026-11-21')).toEqual({ from: '2026-11-20T07:00:00+07:00', to: '2026-11-21T07:00:00+07:00' });
    expect(digestPeriod('2026-11-21', '17:30').to).toBe('2026-11-21T17:30:00+07:00');
  });

  it('groups by agency, attention first, one entry per story with copies counted', () => {
    const UB = '2025-91-ubnd-tinh';
    const ub = { id: UB, name: 'Ủy ban nhân dân tỉnh An Giang', prominence: 'primary' };
    const items = [
      item({ articleId: 'a', storyId: 's1', level: 'hot', tone: 'negative' }),
      item({ articleId: 'b', storyId: 's1', level: 'hot', tone: 'negative', isCopy: true, outlet: 'Báo An Giang' }),
      item({ articleId: 'c', storyId: null, tone: 'positive' }),
      item({ articleId: 'd', storyId: null, agencies: [ub], flags: [{ agencyId: UB, kind: 'correction_review', deadline: null, reasons: ['x'] }] }),
      item({ articleId: 'e', storyId: null, agencies: [ub] }),
      item({ articleId: 'f', storyId: null, agencies: [ub] }),
      item({ articleId: 'q', storyId: null, agencies: [{ id: '2025-51-so-y-te', name: 'Sở Y tế tỉnh Quảng Ngãi', prominence: 'primary' }] }),
    ];
    const d = buildDigest({ scope: { province: '91', agencyId: null }, orgName: 'UBND', date: '2026-11-21', from: 'a', to: 'b', items, agencyNames: new Map(), cases: [], generatedAt: now.toISOString() });
    expect(d.groups.map((g) => [g.agencyId, g.attention.map((i) => i.articleId), g.activity.map((i) => i.articleId)])).toEqual([
      [UB, ['d'], ['e', 'f']],
      [YTE, ['a'], ['c']],
    ]);
    expect(d.groups[1]!.attention[0]!.copiesInPeriod).toBe(2);
    expect(d.figures).toMatchObject({ total: 7, stories: 6, needingAction: 2, byLevel: { hot: 2, normal: 5 }, byTone: { negative: 2, positive: 1 } });
    expect(needsAttention(item({ tone: 'negative' }), YTE)).toBe(true);
  });
});
