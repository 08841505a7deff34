/** What staff enter for a correction request letter (the `--points FILE.json` of `monitor cases letter`). */
import { z } from 'zod';

const Line = z.string().trim().min(1);

export const LetterInput = z.strictObject({
  issuer: z.strictObject({
    /** Superior body, first line of the top-left block (NĐ 30: upper case, regular): "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI". */
    parent: Line.nullable().default(null),
    /** The issuing body (upper case, bold): "SỞ Y TẾ". */
    name: Line,
    /** How the body calls itself in the text: "Sở Y tế tỉnh Quảng Ngãi". */
    shortName: Line,
  }),
  /** Số/ký hiệu without "Số:": "2145/SYT-NVY" (the number may be left blank for the clerk: " /SYT-NVY"). */
  number: z.string().regex(/^[^/]*\/[\p{Lu}Đ0-9-]+$/u, 'number must look like 2145/SYT-NVY'),
  place: Line,
  /** The letter date, YYYY-MM-DD; default: today (Vietnam) from the clock. */
  date: z.iso.date().optional(),
  /** The flagged article the letter is about; default: the case's first article. */
  articleId: z.string().min(1).optional(),
  /** Overrides "Tổng Biên tập Báo …". */
  recipient: Line.optional(),
  points: z.array(z.strictObject({ claim: Line, fact: Line })).min(1, 'at least one untrue point is needed'),
  grounds: z.array(Line).default([]),
  contact: Line.optional(),
  signer: z.strictObject({
    /** TM. (on behalf of a collective), KT. (deputy signing for the head), TL., TUQ., or null (the head signs). */
    authority: z.enum(['TM', 'KT', 'TL', 'TUQ']).nullable(),
    /** What follows the authority: "ỦY BAN NHÂN DÂN", "GIÁM ĐỐC". */
    onBehalfOf: Line.nullable().default(null),
    title: Line,
    name: Line,
  }),
  copyTo: z.array(Line).optional(),
});
export type LetterInput = z.input<typeof LetterInput>;
export type LetterInputParsed = z.output<typeof LetterInput>;
