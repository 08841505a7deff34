import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { fromRoot } from '../lib/paths.ts';

export const IndexDefinition = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    /** Bump on an incompatible mapping change: migrate copies the data into the new versioned index. */
    version: z.number().int().positive(),
    /** Monthly indices (by publication month) behind the alias, so retention drops whole indices. */
    monthly: z.boolean().default(false),
    description: z.string().optional(),
    settings: z.record(z.string(), z.unknown()).default({}),
    mappings: z.object({ dynamic: z.enum(['strict', 'false', 'true']).or(z.boolean()).optional() }).loose(),
  })
  .strict();
export type IndexDefinition = z.infer<typeof IndexDefinition>;

export const DEFAULT_MAPPINGS_DIR = fromRoot('index-mappings', 'indices');

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
}

export function loadAnalysis(): Record<string, unknown> {
  const raw = readJson(fromRoot('index-mappings', 'analysis.json')) as { analysis: Record<string, unknown> };
  return raw.analysis;
}

export function loadIndexDefinitions(dir = DEFAULT_MAPPINGS_DIR): IndexDefinition[] {
  const defs: IndexDefinition[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    const parsed = IndexDefinition.safeParse(readJson(path));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new Error(`${path}: invalid index definition: ${issues}`);
    }
    if (`${parsed.data.name}.json` !== file) throw new Error(`${path}: name "${parsed.data.name}" must match the file name`);
    defs.push(parsed.data);
  }
  return defs;
}

/**
 * Names of everything in Elasticsearch, derived from the prefix and the definitions: readers always use
 * the alias; writers of monthly data use the concrete month index, others the alias (one index behind it).
 */
export class IndexNames {
  private readonly byName: Map<string, IndexDefinition>;

  constructor(
    readonly prefix: string,
    definitions: IndexDefinition[],
  ) {
    this.byName = new Map(definitions.map((d) => [d.name, d]));
  }

  definition(name: string): IndexDefinition {
    const def = this.byName.get(name);
    if (!def) throw new Error(`no index definition named ${name}`);
    return def;
  }

  alias(name: string): string {
    return `${this.prefix}-${name}`;
  }

  /** The concrete index of the current version (non-monthly indices). */
  concrete(name: string, version = this.definition(name).version): string {
    return `${this.alias(name)}-v${version}`;
  }

  /** The month index a document dated `date` belongs to (Asia/Ho_Chi_Minh month). */
  monthly(name: string, date: string | Date | null | undefined, version = this.definition(name).version): string {
    const dt =
      date instanceof Date
        ? DateTime.fromJSDate(date)
        : typeof date === 'string'
          ? DateTime.fromISO(date, { setZone: true })
          : DateTime.invalid('missing');
    const when = (dt.isValid ? dt : DateTime.now()).setZone('Asia/Ho_Chi_Minh');
    return `${this.concrete(name, version)}-${when.toFormat('yyyy.MM')}`;
  }

  /** Pattern of every concrete index of a monthly family, across versions. */
  familyPattern(name: string): string {
    return `${this.alias(name)}-v*`;
  }
}
