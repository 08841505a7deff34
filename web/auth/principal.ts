/** Who is asking, and the agency scope injected into every query for agency users. */
import { z } from 'zod';
import type { Query } from '../../store/search.ts';

export const Role = z.enum(['admin', 'monitor', 'agency']);
export type Role = z.infer<typeof Role>;

export const ROLE_LABEL: Record<Role, string> = { admin: 'Quản trị', monitor: 'Cán bộ theo dõi', agency: 'Cơ quan' };

export interface Principal {
  username: string;
  displayName: string;
  role: Role;
  /** Set for agency users only: the one agency whose data they may see. */
  agencyId: string | null;
}

/**
 * The agency every query must be restricted to: the user's own for agency users, none for staff. Routes
 * take this from the session, never from the request, so an agency user cannot widen it.
 */
export const scopeOf = (p: Principal): string | null => (p.role === 'agency' ? p.agencyId : null);

/** ES filter clauses restricting `field` to the principal's agency (empty for staff). */
export function scopeFilter(p: Principal, field: 'agencyIds' | 'agencyId'): Query[] {
  const agency = scopeOf(p);
  if (p.role === 'agency' && !agency) return [{ match_none: {} }];
  return agency ? [{ term: { [field]: agency } }] : [];
}

/** May this principal see data about `agencyIds` (an article's tagged agencies, a case's agency)? */
export function canSee(p: Principal, agencyIds: string[] | string | null | undefined): boolean {
  if (p.role !== 'agency') return true;
  if (!p.agencyId || agencyIds == null) return false;
  return (Array.isArray(agencyIds) ? agencyIds : [agencyIds]).includes(p.agencyId);
}
