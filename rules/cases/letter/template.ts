/** letter.yaml, validated. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadYamlFile } from '../../../lib/yaml-file.ts';

const Text = z.string().min(1);
export const LetterTemplate = z.strictObject({
  version: z.literal(1),
  subject: Text,
  motto: z.tuple([Text, Text]),
  salutation: Text,
  outletPrefix: z.record(z.string(), Text),
  recipientTitle: z.object({ default: Text }).catchall(Text),
  legalBases: z.record(z.string(), z.array(Text).min(1)),
  requestParam: Text,
  paragraphs: z.strictObject({
    article: Text,
    intro: Text,
    point: Text,
    grounds: Text,
    request: Text,
    deadlineIntro: Text,
    deadline: z.strictObject({ immediately: Text, calendar_days: Text, working_days: Text, next_issue: Text, other: Text }),
    keepOnline: Text,
    noDeadline: Text,
    contact: Text,
    closing: Text,
  }),
  recipientsLabel: Text,
  defaultCopyTo: z.array(Text).min(1),
});
export type LetterTemplate = z.infer<typeof LetterTemplate>;

export const DEFAULT_LETTER_TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'letter.yaml');

let cached: LetterTemplate | null = null;
export function loadLetterTemplate(file = DEFAULT_LETTER_TEMPLATE): LetterTemplate {
  if (file !== DEFAULT_LETTER_TEMPLATE) return loadYamlFile(file, LetterTemplate).data;
  cached ??= loadYamlFile(file, LetterTemplate).data;
  return cached;
}

/** Fill {name} placeholders; an unknown placeholder is a template bug, so it throws. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`letter template: no value for {${key}} in "${text}"`);
    return String(values[key]);
  });
}
