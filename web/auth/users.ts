/** User accounts in the `users` index (id = user name). */
import { errors } from '@elastic/elasticsearch';
import { z } from 'zod';
import type { Store } from '../../store/es.ts';
import { hashPassword } from './password.ts';
import { Role, type Principal } from './principal.ts';

export const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'tên đăng nhập: 3–40 ký tự a-z, 0-9, . _ -');

export const User = z
  .object({
    id: Username,
    username: Username,
    displayName: z.string().min(1).max(120),
    role: Role,
    agencyId: z.string().min(1).nullable(),
    passwordHash: z.string().startsWith('scrypt$'),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .refine((u) => (u.role === 'agency') === (u.agencyId !== null), { message: 'agency users (and only they) have an agencyId', path: ['agencyId'] });
export type User = z.infer<typeof User>;

export const NewUserInput = z.strictObject({
  username: Username,
  displayName: z.string().trim().min(1).max(120),
  role: Role,
  agencyId: z.string().trim().min(1).nullable().default(null),
  password: z.string().min(10, 'mật khẩu tối thiểu 10 ký tự').max(200),
});
export type NewUserInput = z.input<typeof NewUserInput>;

export const usersIndex = (store: Store) => store.names.alias('users');

export const toPrincipal = (u: User): Principal => ({ username: u.username, displayName: u.displayName, role: u.role, agencyId: u.agencyId });

/** The public view of a user (never the hash). */
export const publicUser = (u: User) => ({ username: u.username, displayName: u.displayName, role: u.role, agencyId: u.agencyId, active: u.active, createdAt: u.createdAt });

export async function getUser(store: Store, username: string): Promise<User | null> {
  if (!Username.safeParse(username).success) return null;
  try {
    const res = await store.client.get<unknown>({ index: usersIndex(store), id: username });
    return res.found ? User.parse(res._source) : null;
  } catch (err) {
    if (err instanceof errors.ResponseError && err.statusCode === 404) return null;
    throw err;
  }
}

export async function listUsers(store: Store): Promise<User[]> {
  const res = await store.client.search<unknown>({ index: usersIndex(store), size: 1000, sort: [{ username: 'asc' }], ignore_unavailable: true, allow_no_indices: true });
  return res.hits.hits.map((h) => User.parse(h._source));
}

export class UserExistsError extends Error {}

/** Create a user; an existing user name is refused (op_type create), never overwritten. */
export async function createUser(store: Store, raw: NewUserInput, now: Date): Promise<User> {
  const input = NewUserInput.parse(raw);
  const at = now.toISOString();
  const user = User.parse({
    id: input.username,
    username: input.username,
    displayName: input.displayName,
    role: input.role,
    agencyId: input.role === 'agency' ? input.agencyId : null,
    passwordHash: await hashPassword(input.password),
    active: true,
    createdAt: at,
    updatedAt: at,
  });
  try {
    await store.client.create({ index: usersIndex(store), id: user.id, document: user, refresh: 'wait_for' });
  } catch (err) {
    if (err instanceof errors.ResponseError && err.statusCode === 409) throw new UserExistsError(`user ${user.username} exists`);
    throw err;
  }
  return user;
}

export async function updateUser(store: Store, user: User, change: Partial<Pick<User, 'active' | 'passwordHash' | 'displayName'>>, now: Date): Promise<User> {
  const next = User.parse({ ...user, ...change, updatedAt: now.toISOString() });
  await store.client.index({ index: usersIndex(store), id: next.id, document: next, refresh: 'wait_for' });
  return next;
}

export async function countUsers(store: Store): Promise<number> {
  await store.client.indices.refresh({ index: usersIndex(store) });
  return (await store.client.count({ index: usersIndex(store) })).count;
}
