/**
 * Human-readable Vietnamese reasons: why an article got its level, strongest evidence first.
 */
import type { Field, SensitivityLevel } from '../../model/records.ts';
import type { Evidence, Hit } from './evidence.ts';
import type { Lexicon } from './lexicon.ts';
import type { LevelCombine } from './schema.ts';

export const FIELD_LABEL: Record<Field, string> = { title: 'tiêu đề', sapo: 'sa-pô', body: 'nội dung' };
export const LEVEL_LABEL: Record<SensitivityLevel, string> = {
  normal: 'bình thường',
  sensitive: 'nhạy cảm',
  hot: 'nóng',
};

const MAX_TERMS = 4;

/** 0.734 → "0,73" */
export function viNumber(x: number, digits = 2): string {
  return x.toFixed(digits).replace('.', ',');
}

const quote = (s: string): string => `«${s}»`;

function fieldsText(fields: Field[]): string {
  return fields.map((f) => FIELD_LABEL[f]).join(', ');
}

/**
 * «a», «b» (tiêu đề) when every term comes from the same fields and has no note; otherwise each term
 * carries its own parenthesis: «a» (tiêu đề), «b» (nội dung, đã bị bác bỏ).
 */
function termList(terms: Array<{ phrase: string; fields: Field[]; note?: string }>): string {
  const shown = terms.slice(0, MAX_TERMS);
  const key = (t: { fields: Field[] }): string => t.fields.join(',');
  const same = shown.every((t) => key(t) === key(shown[0]!) && !t.note);
  const parts = shown.map((t) => {
    if (same) return quote(t.phrase);
    const inside = [fieldsText(t.fields), ...(t.note ? [t.note] : [])].filter((x) => x).join(', ');
    return `${quote(t.phrase)}${inside ? ` (${inside})` : ''}`;
  });
  const more = terms.length > MAX_TERMS ? ` và ${terms.length - MAX_TERMS} từ khác` : '';
  return `${parts.join(', ')}${more}${same && shown.length ? ` (${fieldsText(shown[0]!.fields)})` : ''}`;
}

function distinctHits(hits: Hit[]): Array<{ phrase: string; fields: Field[] }> {
  const m = new Map<string, Set<Field>>();
  for (const h of hits) {
    const s = m.get(h.entry.phrase) ?? new Set<Field>();
    s.add(h.field);
    m.set(h.entry.phrase, s);
  }
  return [...m.entries()].map(([phrase, s]) => ({
    phrase,
    fields: (['title', 'sapo', 'body'] as Field[]).filter((f) => s.has(f)),
  }));
}

export interface ReasonInputs {
  lex: Lexicon;
  evidence: Evidence;
  level: SensitivityLevel;
  score: number;
  probs: number[] | null;
  combine: LevelCombine | null;
}

export function buildReasons(x: ReasonInputs): string[] {
  const { lex, evidence: ev } = x;
  const out: string[] = [];
  const min = lex.cues.categoryMinScore;

  const strong = [...ev.strongHead, ...ev.strongBody];
  if (strong.length > 0) out.push(`Tình tiết nghiêm trọng: ${termList(distinctHits(strong))}`);

  for (const c of ev.categories) {
    if (c.polarity !== 'negative' || c.score < min) continue;
    const terms = c.terms.map((t) => ({
      phrase: t.phrase,
      fields: t.fields,
      ...(t.denied ? { note: 'đã bị bác bỏ' } : {}),
    }));
    const mods = c.modifiers.length ? ` — ${c.modifiers.join('; ')}` : '';
    out.push(`${c.label}: ${termList(terms)}${mods}`);
  }

  const criticism = ev.hits.filter((h) => h.entry.kind === 'tone' && h.entry.polarity < 0 && !h.cancelledBy);
  const weakened = ev.cancelled.filter((h) => h.entry.polarity > 0);
  if (criticism.length + weakened.length > 0) {
    const items = [
      ...distinctHits(criticism),
      ...distinctHits(weakened).map((t) => ({
        ...t,
        phrase: `${weakened.find((h) => h.entry.phrase === t.phrase)!.cancelledBy!.entry.phrase} … ${t.phrase}`,
      })),
    ];
    out.push(`Phê phán, đánh giá tiêu cực: ${termList(items)}`);
  }

  if (ev.denials.length > 0) {
    const weakenedTerms = [...new Set(ev.denied.map((h) => quote(h.entry.phrase)))];
    out.push(
      `Có phủ nhận, bác bỏ thông tin: ${termList(distinctHits(ev.denials))}` +
        (weakenedTerms.length
          ? ` — không coi là sự việc đã xác định: ${weakenedTerms.slice(0, MAX_TERMS).join(', ')}`
          : ''),
    );
  }

  const negated = ev.cancelled.filter((h) => h.entry.polarity < 0 && h.cancelledBy!.entry.kind === 'neg');
  if (negated.length > 0) {
    const pairs = [
      ...new Set(negated.map((h) => `${quote(h.cancelledBy!.entry.phrase)} … ${quote(h.entry.phrase)}`)),
    ];
    out.push(`Không tính do phủ định: ${pairs.slice(0, MAX_TERMS).join(', ')}`);
  }
  const prevented = ev.cancelled.filter((h) => h.entry.polarity < 0 && h.cancelledBy!.entry.kind === 'prev');
  if (prevented.length > 0) {
    const pairs = [
      ...new Set(prevented.map((h) => `${quote(h.cancelledBy!.entry.phrase)} … ${quote(h.entry.phrase)}`)),
    ];
    out.push(`Không tính vì là nội dung phòng ngừa, cảnh báo: ${pairs.slice(0, MAX_TERMS).join(', ')}`);
  }

  for (const c of ev.categories) {
    if (c.polarity !== 'positive' || c.score < min) continue;
    out.push(`${c.label}: ${termList(c.terms)}`);
  }

  if (x.probs) {
    out.push(
      `Mô hình thống kê: khả năng nóng ${Math.round(100 * (x.probs[2] ?? 0))}%, nhạy cảm ${Math.round(100 * (x.probs[1] ?? 0))}%, bình thường ${Math.round(100 * (x.probs[0] ?? 0))}%`,
    );
  }
  if (x.combine) {
    out.push(
      `Mức ${LEVEL_LABEL[x.level]}: điểm ${viNumber(x.score)} (ngưỡng nhạy cảm ${viNumber(x.combine.thetaSensitive)}, nóng ${viNumber(x.combine.thetaHot)})`,
    );
  }
  return out;
}
