import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../../lib/paths.ts';
import { DataFileError, describeById, loadYamlFile } from '../../lib/yaml-data.ts';
import { SourceFile, type Source } from './schema.ts';

export const DEFAULT_SOURCES_DIR = fromRoot('crawlers', 'sources', 'default');

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
    for (const source of loadYamlFile(file, SourceFile, { describe: describeById('source') })) {
      const other = seen.get(source.id);
      if (other) throw new DataFileError(file, [`source "${source.id}" is already defined in ${other}`]);
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
