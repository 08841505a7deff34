import type { Client } from '@elastic/elasticsearch';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../lib/log.ts';
import { IndexNames, loadAnalysis, type IndexDefinition } from './definitions.ts';

export interface MigrateOptions {
  prefix: string;
  definitions: IndexDefinition[];
  shards?: number;
  replicas?: number;
  log: Logger;
}

export type MigrationAction =
  | { kind: 'created'; index: string }
  | { kind: 'template'; name: string }
  | { kind: 'mapping-updated'; index: string }
  | { kind: 'migrated'; from: string; to: string; documents: number }
  | { kind: 'unchanged'; index: string };

const VERSIONED = /-v(\d+)(?:-(\d{4}\.\d{2}))?$/;

function indexSettings(def: IndexDefinition, opts: MigrateOptions): Record<string, unknown> {
  return {
    number_of_shards: opts.shards ?? 1,
    number_of_replicas: opts.replicas ?? 0,
    ...def.settings,
    analysis: loadAnalysis(),
  };
}

/** Versioned concrete indices that exist for a definition, with their version and month suffix. */
async function existingIndices(client: Client, names: IndexNames, def: IndexDefinition) {
  const pattern = names.familyPattern(def.name);
  const res = await client.indices.get({ index: pattern, allow_no_indices: true, ignore_unavailable: true });
  const base = names.alias(def.name);
  return Object.keys(res)
    .map((index) => {
      if (!index.startsWith(`${base}-v`)) return null;
      const m = VERSIONED.exec(index.slice(base.length));
      if (!m) return null;
      if (Boolean(m[2]) !== def.monthly) return null;
      return { index, version: Number(m[1]), month: m[2] ?? null };
    })
    .filter((x): x is { index: string; version: number; month: string | null } => x !== null)
    .sort((a, b) => a.index.localeCompare(b.index));
}

/** Copy every document (same ids) into `to`; no document may be rejected, or the migration stops. */
async function copyDocuments(client: Client, from: string, to: string, log: Logger): Promise<number> {
  let copied = 0;
  const failures: string[] = [];
  let batch: Array<{ id: string; source: unknown }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const operations = batch.flatMap((d) => [{ index: { _index: to, _id: d.id } }, d.source]);
    const res = await client.bulk({ operations, refresh: false });
    for (const item of res.items) {
      const r = item.index;
      if (r?.error) failures.push(`${r._id}: ${r.error.type}: ${r.error.reason ?? ''}`);
      else copied++;
    }
    batch = [];
  };
  let response = await client.search({ index: from, scroll: '2m', size: 500, sort: ['_doc'] });
  const scrollIds = new Set<string>();
  while (response.hits.hits.length > 0) {
    if (response._scroll_id) scrollIds.add(response._scroll_id);
    for (const hit of response.hits.hits) batch.push({ id: hit._id!, source: hit._source });
    await flush();
    if (!response._scroll_id) break;
    response = await client.scroll({ scroll_id: response._scroll_id, scroll: '2m' });
  }
  if (response._scroll_id) scrollIds.add(response._scroll_id);
  if (scrollIds.size > 0) await client.clearScroll({ scroll_id: [...scrollIds] }).catch(() => undefined);
  if (failures.length > 0) {
    throw new Error(
      `migrating ${from} → ${to}: ${failures.length} document(s) rejected by the new mapping (old index kept, alias unchanged):\n  ${failures.slice(0, 10).join('\n  ')}`,
    );
  }
  await client.indices.refresh({ index: to });
  log.info({ from, to, documents: copied }, 'copied documents into the new index version');
  return copied;
}

/** Add the definition's mapping to an index of the same version; adding fields is fine, changing them is not. */
async function updateMapping(client: Client, index: string, def: IndexDefinition): Promise<boolean> {
  const current = await client.indices.getMapping({ index });
  const existing = current[index]?.mappings as Record<string, unknown> | undefined;
  const wanted = def.mappings as Record<string, unknown>;
  const comparable = (m: Record<string, unknown> | undefined) => ({
    dynamic: String(m?.dynamic ?? 'true'),
    properties: m?.properties ?? {},
  });
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(comparable(existing))), JSON.parse(JSON.stringify(comparable(wanted))))) {
    return false;
  }
  try {
    await client.indices.putMapping({ index, ...(wanted as object) });
  } catch (err) {
    throw new Error(
      `${index}: the mapping in index-mappings/indices/${def.name}.json changed incompatibly (${(err as Error).message}); bump its "version" so migrate copies the data into a new index`,
    );
  }
  // Adding fields that were already mapped identically is a no-op; compare again to report honestly.
  const after = await client.indices.getMapping({ index });
  return !isDeepStrictEqual(after[index]?.mappings, existing);
}

const alreadyExists = (err: unknown) =>
  (err as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type === 'resource_already_exists_exception';

async function migrateSingle(client: Client, names: IndexNames, def: IndexDefinition, opts: MigrateOptions) {
  const actions: MigrationAction[] = [];
  const alias = names.alias(def.name);
  const target = names.concrete(def.name);
  const existing = await existingIndices(client, names, def);
  const current = existing.find((e) => e.version === def.version);
  const older = existing.filter((e) => e.version < def.version);
  const newer = existing.filter((e) => e.version > def.version);
  if (newer.length > 0) {
    throw new Error(`${alias}: index ${newer[0]!.index} is newer than the definition (v${def.version}); refusing to downgrade`);
  }
  if (!current) {
    const created = await client.indices
      .create({
        index: target,
        settings: indexSettings(def, opts),
        mappings: def.mappings as never,
        ...(older.length === 0 ? { aliases: { [alias]: {} } } : {}),
      })
      .then(
        () => true,
        (err: unknown) => {
          // Several workers starting together (`run --shard`) race to create the same index: one wins, the others go on.
          if (alreadyExists(err)) return false;
          throw err;
        },
      );
    actions.push({ kind: created ? 'created' : 'unchanged', index: target });
  } else if (await updateMapping(client, target, def)) {
    actions.push({ kind: 'mapping-updated', index: target });
  } else {
    actions.push({ kind: 'unchanged', index: target });
  }
  for (const old of older) {
    const documents = await copyDocuments(client, old.index, target, opts.log);
    await client.indices.updateAliases({
      actions: [{ remove: { index: old.index, alias } }, { add: { index: target, alias } }],
    });
    await client.indices.delete({ index: old.index });
    actions.push({ kind: 'migrated', from: old.index, to: target, documents });
  }
  return actions;
}

async function migrateMonthly(client: Client, names: IndexNames, def: IndexDefinition, opts: MigrateOptions) {
  const actions: MigrationAction[] = [];
  const alias = names.alias(def.name);
  const templateName = alias;
  const template = {
    index_patterns: [`${names.concrete(def.name)}-*`],
    priority: 100,
    template: { settings: indexSettings(def, opts), mappings: def.mappings, aliases: { [alias]: {} } },
    _meta: { version: def.version, managedBy: 'press-monitor', hash: '' },
  };
  // ES rewrites mappings in its own normal form, so compare a hash of what we sent instead.
  template._meta.hash = createHash('sha256').update(JSON.stringify(template)).digest('hex');
  const existingTemplate = await client.indices
    .getIndexTemplate({ name: templateName })
    .then((r) => r.index_templates[0]?.index_template)
    .catch(() => undefined);
  if ((existingTemplate?._meta as { hash?: string } | undefined)?.hash !== template._meta.hash) {
    await client.indices.putIndexTemplate({ name: templateName, ...(template as object) });
    actions.push({ kind: 'template', name: templateName });
  }
  for (const idx of await existingIndices(client, names, def)) {
    if (idx.version > def.version) {
      throw new Error(`${alias}: index ${idx.index} is newer than the definition (v${def.version}); refusing to downgrade`);
    }
    if (idx.version === def.version) {
      actions.push(
        (await updateMapping(client, idx.index, def))
          ? { kind: 'mapping-updated', index: idx.index }
          : { kind: 'unchanged', index: idx.index },
      );
      continue;
    }
    const target = `${names.concrete(def.name)}-${idx.month}`;
    await client.indices.create({ index: target }).catch((err: unknown) => {
      if (!alreadyExists(err)) throw err;
    });
    const documents = await copyDocuments(client, idx.index, target, opts.log);
    await client.indices.delete({ index: idx.index });
    actions.push({ kind: 'migrated', from: idx.index, to: target, documents });
  }
  return actions;
}

/**
 * Create or update every index, template and alias; idempotent. An incompatible change is expressed by
 * bumping a definition's version: the data is then copied client-side (scroll + bulk; the minimal
 * distribution has no _reindex) into the new versioned index and the alias is swapped atomically.
 * Run it while no writer is active (`monitor run` does it at start-up).
 */
export async function migrate(client: Client, opts: MigrateOptions): Promise<MigrationAction[]> {
  const names = new IndexNames(opts.prefix, opts.definitions);
  const actions: MigrationAction[] = [];
  for (const def of opts.definitions) {
    const done = def.monthly
      ? await migrateMonthly(client, names, def, opts)
      : await migrateSingle(client, names, def, opts);
    actions.push(...done);
  }
  for (const a of actions) if (a.kind !== 'unchanged') opts.log.info(a, 'migration');
  return actions;
}
