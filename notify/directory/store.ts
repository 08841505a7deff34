import type { BulkWriter } from '../../store/bulk-writer.ts';
import type { Store } from '../../store/es.ts';
import { DirectoryEntry, emailRecipients, type DirectoryFile } from './schema.ts';

export type Directory = Map<string, DirectoryEntry>;

/** Replace each imported agency's document (the file is the source of truth for those agencies). */
export async function importDirectory(store: Store, writer: BulkWriter, file: DirectoryFile, source: string, now: Date): Promise<number> {
  const index = store.names.alias('directory');
  const res = await writer.write(
    file.agencies.map((a) => ({
      index,
      id: a.id,
      mode: 'index' as const,
      doc: { ...a, emails: emailRecipients(a), source, updatedAt: now.toISOString() },
    })),
  );
  if (res.rejected.length > 0) throw new Error(`directory: ${res.rejected.length} agency document(s) rejected: ${res.rejected[0]!.reason}`);
  await store.client.indices.refresh({ index });
  return file.agencies.length;
}

/** The whole directory (a province has a few hundred agencies at most), validated on the way out too. */
export async function loadDirectory(store: Store): Promise<Directory> {
  const res = await store.client.search<Record<string, unknown>>({
    index: store.names.alias('directory'),
    query: { match_all: {} },
    size: 10_000,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  const out: Directory = new Map();
  for (const hit of res.hits.hits) {
    const { emails: _e, source: _s, updatedAt: _u, ...rest } = hit._source ?? {};
    const entry = DirectoryEntry.parse(rest);
    out.set(entry.id, entry);
  }
  return out;
}
