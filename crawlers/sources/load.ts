import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../../lib/paths.ts';
import { DataFileError, YamlSource } from '../../lib/yaml-file.ts';
import { SourceFile, type Source } from './schema.ts';

export const DEFAULT_SOURCES_DIR = fromRoot('crawlers', 'sources', 'default');

/** Parse one registry file; problems name the file, the line, the source (by id) and the field. */
function loadFile(file: string): Source[] {
  const source = new YamlSource(file, readFileSync(file, 'utf8'));
  const syntax = source.syntaxIssues();
  if (syntax.length > 0) throw new DataFileError(syntax);
  const raw: unknown = source.doc.toJS();
  const parsed = SourceFile.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new DataFileError(
    source.zodIssues(parsed.error).map((issue) => {
      // An editor looks for the outlet, not for its position in the list.
      const index = /^\[(\d+)\]/.exec(issue.path)?.[1];
      const item = index !== undefined && Array.isArray(raw) ? (raw[Number(index)] as { id?: unknown } | undefined) : undefined;
      const label = typeof item?.id === 'string' ? `source "${item.id}"` : index !== undefined ? `source #${Number(index) + 1}` : null;
      return label ? { ...issue, message: `${label}: ${issue.message}` } : issue;
    }),
  );
}

/** Load every *.yaml under the given files/folders; ids must be unique across all of them. */
export function loadSources(paths: string[] = [DEFAULT_SOURCES_DIR]): Source[] {
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
  const sources: Source[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    for (const source of loadFile(file)) {
      const other = seen.get(source.id);
      if (other) throw new DataFileError([{ file, line: 1, col: 1, path: '', message: `source "${source.id}" is already defined in ${other}` }]);
      seen.set(source.id, file);
      sources.push(source);
    }
  }
  return sources;
}

/** The outlet's province for an article of a given date: the pre-2025 code before the reform. */
export function outletProvince(source: Source, publishedAt: string | null): { code: string; period: 'pre2025' | '2025' } | null {
  if (!source.homeProvince) return null;
  const before = publishedAt !== null && publishedAt < '2025-07-01';
  if (before) return { code: source.homeProvince.pre2025 ?? source.homeProvince.code, period: 'pre2025' };
  return { code: source.homeProvince.code, period: '2025' };
}
