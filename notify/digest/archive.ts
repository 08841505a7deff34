/** Archive of generated digests: files under <storageDir>/digests/, one document per digest in `digests`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Store } from '../../store/es.ts';
import type { Digest } from './model.ts';

export type DigestFormat = 'html' | 'pdf' | 'docx';

export interface ArchivedDigest {
  id: string;
  scope: string;
  province: string;
  agencyId: string | null;
  title: string;
  date: string;
  from: string;
  to: string;
  figures: Digest['figures'];
  files: Partial<Record<DigestFormat, string>>;
  createdAt: string;
}

export async function archiveDigest(store: Store, storageDir: string, d: Digest, outputs: Partial<Record<DigestFormat, Buffer | string>>, now: Date): Promise<ArchivedDigest> {
  const dir = resolve(storageDir, 'digests', d.date);
  mkdirSync(dir, { recursive: true });
  const files: Partial<Record<DigestFormat, string>> = {};
  for (const [fmt, data] of Object.entries(outputs) as Array<[DigestFormat, Buffer | string]>) {
    const file = join(dir, `${d.id}.${fmt}`);
    writeFileSync(file, data);
    files[fmt] = file;
  }
  const doc: ArchivedDigest = {
    id: d.id,
    scope: d.scope.agencyId ? 'agency' : 'province',
    province: d.scope.province,
    agencyId: d.scope.agencyId,
    title: `${d.title} ${d.orgName} – ${d.periodLabel}`,
    date: d.date,
    from: d.from,
    to: d.to,
    figures: d.figures,
    files,
    createdAt: now.toISOString(),
  };
  // Regenerating the same day's digest replaces it (same id), keeping one archive entry per scope and day.
  await store.client.index({ index: store.names.alias('digests'), id: d.id, document: doc, refresh: 'wait_for' });
  return doc;
}

export async function listDigests(store: Store, filter: { province?: string; agencyId?: string } = {}, size = 100): Promise<ArchivedDigest[]> {
  const must = [
    ...(filter.province ? [{ term: { province: filter.province } }] : []),
    ...(filter.agencyId ? [{ term: { agencyId: filter.agencyId } }] : []),
  ];
  const res = await store.client.search<ArchivedDigest>({
    index: store.names.alias('digests'),
    query: { bool: { filter: must } },
    sort: [{ date: 'desc' }, { id: 'asc' }],
    size,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return res.hits.hits.map((h) => h._source!);
}
