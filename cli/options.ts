/** What several commands share: parsing their options with zod, repeatable options, choosing sources. */
import { resolve } from 'node:path';
import type { z } from 'zod';
import { loadSources } from '../crawlers/sources/load.ts';
import type { Source } from '../crawlers/sources/schema.ts';
import { UsageError } from './run-action.ts';

/** commander's collector for a repeatable option (`--source a --source b`). */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

const flag = (path: PropertyKey[]) => `--${path.map(String).join('.').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The command's options validated; a problem is a usage error naming the option (`--web-port: …`). */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UsageError(parsed.error.issues.map((i) => (i.message.startsWith('--') || i.path.length === 0 ? i.message : `${flag(i.path)}: ${i.message}`)).join('; '));
}

/**
 * The sources a command works on: the ones named with `--source` (even if disabled in the registry; an
 * unknown id is a usage error), otherwise every enabled one, from the default registry or `--sources`.
 */
export function selectSources(opts: { source?: string[] | undefined; sources?: string[] | undefined }): Source[] {
  const all = loadSources(opts.sources?.map((p) => resolve(p)));
  if (!opts.source) return all.filter((s) => s.enabled);
  const unknown = opts.source.filter((id) => !all.some((s) => s.id === id));
  if (unknown.length) throw new UsageError(`unknown source(s): ${unknown.join(', ')}`);
  return all.filter((s) => opts.source!.includes(s.id));
}
