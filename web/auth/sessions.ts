/**
 * Server-side sessions in the `sessions` index. The cookie carries a random 32-byte token; only its sha256
 * is stored, so a leaked index does not leak live sessions. Each session has its own CSRF token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { errors } from '@elastic/elasticsearch';
import { z } from 'zod';
import type { Store } from '../../store/es.ts';

export const SESSION_COOKIE = 'pm_sid';
export const LOGIN_CSRF_COOKIE = 'pm_lcsrf';

export const Session = z.object({ id: z.string(), username: z.string(), csrf: z.string(), createdAt: z.string(), expiresAt: z.string() });
export type Session = z.infer<typeof Session>;

const sessionsIndex = (store: Store) => store.names.alias('sessions');
const idOf = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

export async function createSession(store: Store, username: string, now: Date, ttlMs: number): Promise<{ token: string; session: Session }> {
  const token = newToken();
  const session: Session = { id: idOf(token), username, csrf: newToken(), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
  await store.client.index({ index: sessionsIndex(store), id: session.id, document: session, refresh: false });
  return { token, session };
}

export async function getSession(store: Store, token: string, now: Date): Promise<Session | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  try {
    // Real-time GET: a session created a moment ago is found without a refresh.
    const res = await store.client.get<unknown>({ index: sessionsIndex(store), id: idOf(token) });
    if (!res.found) return null;
    const s = Session.parse(res._source);
    return Date.parse(s.expiresAt) > now.getTime() ? s : null;
  } catch (err) {
    if (err instanceof errors.ResponseError && err.statusCode === 404) return null;
    throw err;
  }
}

export async function deleteSession(store: Store, token: string): Promise<void> {
  await store.client.delete({ index: sessionsIndex(store), id: idOf(token) }).catch(() => undefined);
}

/** Sessions of a deactivated user end at once. */
export async function deleteUserSessions(store: Store, username: string): Promise<void> {
  // No _delete_by_query on the minimal distribution (it lives in the reindex module): search, then delete.
  await store.client.indices.refresh({ index: sessionsIndex(store) });
  const res = await store.client.search({ index: sessionsIndex(store), query: { term: { username } }, _source: false, size: 10_000 });
  if (res.hits.hits.length === 0) return;
  await store.client.bulk({ operations: res.hits.hits.map((h) => ({ delete: { _index: h._index, _id: h._id! } })), refresh: true });
}
