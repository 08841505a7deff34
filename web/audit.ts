/** Append-only audit log (index `audit`) of case and admin actions, and logins. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/es.ts';
import type { Principal } from './auth/principal.ts';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  agencyId?: string | null;
  details?: Record<string, unknown>;
}

export async function audit(store: Store, who: Principal | { username: string; role: string | null }, entry: AuditEntry, now: Date): Promise<void> {
  const id = randomUUID();
  await store.client.index({
    index: store.names.alias('audit'),
    id,
    document: {
      id,
      at: now.toISOString(),
      actor: who.username,
      role: who.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      agencyId: entry.agencyId ?? null,
      details: entry.details ?? {},
    },
  });
}

export async function recentAudit(store: Store, size = 100) {
  const res = await store.client.search<{ at: string; actor: string; role: string; action: string; targetType: string; targetId: string | null; agencyId: string | null }>({
    index: store.names.alias('audit'),
    sort: [{ at: 'desc' }],
    size,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return res.hits.hits.map((h) => h._source!);
}
