/**
 * The content of a correction request letter, independent of the output format: DOCX and HTML/PDF render
 * the same LetterContent, so both say exactly the same thing.
 */
import { DateTime } from 'luxon';
import { toVietnamTime, VIETNAM_ZONE } from '../../calendar/deadlines.ts';
import { durationText, regimeFor, type Regime } from '../../legal/regimes.ts';
import type { CaseContext } from '../context.ts';
import type { ArticleRef, Case } from '../schema.ts';
import { LetterInput, type LetterInputParsed } from './input.ts';
import { fill, loadLetterTemplate, type LetterTemplate } from './template.ts';

export interface LetterContent {
  issuer: { parent: string | null; name: string };
  /** "Số: 2145/SYT-NVY" */
  number: string;
  subject: string;
  motto: [string, string];
  /** "Quảng Ngãi, ngày 23 tháng 11 năm 2026" */
  placeDate: string;
  salutation: string;
  paragraphs: string[];
  recipientsLabel: string;
  /** "- Như trên;" … "- Lưu: VT." */
  recipients: string[];
  signature: { authority: string | null; title: string; name: string };
  regime: string;
  articleId: string;
}

/** NĐ 30/2020 date line: day below 10 and months 1–2 take a leading zero ("ngày 05 tháng 01 năm 2027"). */
export function vietnameseDateLine(place: string, date: string): string {
  const d = DateTime.fromISO(date, { zone: VIETNAM_ZONE });
  const day = String(d.day).padStart(2, '0');
  const month = d.month <= 2 ? String(d.month).padStart(2, '0') : String(d.month);
  return `${place}, ngày ${day} tháng ${month} năm ${d.year}`;
}

export function outletDisplayName(article: Pick<ArticleRef, 'outletName' | 'outletKind' | 'outletId'>, t: LetterTemplate): string {
  const name = article.outletName ?? article.outletId ?? 'cơ quan báo chí';
  if (/^(báo|tạp chí|đài|trang|cổng|kênh)\b/iu.test(name)) return name;
  const prefix = article.outletKind ? t.outletPrefix[article.outletKind] : undefined;
  return prefix ? `${prefix} ${name}` : name;
}

const shortDate = (iso: string) => toVietnamTime(iso).toFormat('dd/MM/yyyy');

function deadlineLines(regime: Regime, outletKind: string | null, t: LetterTemplate): string[] {
  const ids = outletKind ? (regime.outletCorrection.kinds[outletKind] ?? []) : [];
  return ids.map((id) => {
    const c = regime.outletCorrection.channels[id]!;
    const tpl = c.unit in t.paragraphs.deadline ? t.paragraphs.deadline[c.unit as keyof LetterTemplate['paragraphs']['deadline']] : t.paragraphs.deadline.other;
    const keepOnline = c.keepOnlineDays ? fill(t.paragraphs.keepOnline, { days: String(c.keepOnlineDays).padStart(2, '0') }) : '';
    return fill(tpl, { label: c.label, duration: durationText(c), keepOnline, citation: c.citation });
  });
}

export function buildLetter(c: Case, raw: LetterInput, ctx: CaseContext, now: Date, t: LetterTemplate = loadLetterTemplate()): LetterContent {
  const input: LetterInputParsed = LetterInput.parse(raw);
  const article = input.articleId ? c.articles.find((a) => a.id === input.articleId) : c.articles[0];
  if (!article) throw new Error(`article ${input.articleId ?? '(first)'} is not in case ${c.id}`);
  const date = input.date ?? toVietnamTime(now).toISODate()!;
  // The law in force when the article was published governs the outlet's duty.
  const regime = regimeFor(article.publishedAt ?? `${date}T12:00:00+07:00`, ctx.regimes);
  if (!regime) throw new Error(`no legal regime for an article published ${article.publishedAt}`);
  const bases = (t.legalBases[regime.id] ?? []).map((id) => {
    const b = regime.legalBases.find((x) => x.id === id);
    if (!b) throw new Error(`letter.yaml: legal basis ${id} is not in regime ${regime.id}`);
    return b.text;
  });
  const param = regime.parameters[t.requestParam];
  if (!param) throw new Error(`letter.yaml: parameter ${t.requestParam} is not in regime ${regime.id}`);
  const outletName = outletDisplayName(article, t);
  const issuerName = input.issuer.shortName;
  const recipientTitle = (article.outletKind && t.recipientTitle[article.outletKind]) || t.recipientTitle.default;
  const p = t.paragraphs;
  const paragraphs = [
    fill(p.article, { articleDate: article.publishedAt ? shortDate(article.publishedAt) : '…', outletName, title: article.title ?? '…', url: article.url }),
    fill(p.intro, { issuerName }),
    ...input.points.map((pt, i) => fill(p.point, { n: i + 1, claim: pt.claim.replace(/[.\s]+$/u, ''), fact: pt.fact })),
    ...(input.grounds.length ? [fill(p.grounds, { grounds: input.grounds.join('; ') })] : []),
    fill(p.request, { legalBases: bases.join('; '), issuerName, outletName, citation: param.citation }),
  ];
  const lines = deadlineLines(regime, article.outletKind, t);
  if (lines.length) paragraphs.push(p.deadlineIntro, ...lines);
  else paragraphs.push(fill(p.noDeadline, { outletName, citation: regime.outletCorrection.channels['e-paper']?.citation ?? regime.name }));
  if (input.contact) paragraphs.push(fill(p.contact, { contact: input.contact }));
  paragraphs.push(fill(p.closing, { outletName, issuerName }));
  const copyTo = input.copyTo ?? t.defaultCopyTo;
  return {
    issuer: { parent: input.issuer.parent, name: input.issuer.name },
    number: `Số: ${input.number}`,
    subject: t.subject,
    motto: t.motto,
    placeDate: vietnameseDateLine(input.place, date),
    salutation: fill(t.salutation, { recipient: input.recipient ?? `${recipientTitle} ${outletName}` }),
    paragraphs,
    recipientsLabel: t.recipientsLabel,
    recipients: copyTo.map((r, i) => `- ${r}${i === copyTo.length - 1 ? '.' : ';'}`),
    signature: {
      authority: input.signer.authority ? `${input.signer.authority}. ${input.signer.onBehalfOf ?? ''}`.trim() : null,
      title: input.signer.title,
      name: input.signer.name,
    },
    regime: regime.id,
    articleId: article.id,
  };
}
