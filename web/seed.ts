/** First-start demo users from web/seed-users.yaml, each with a random password returned once. */
import { z } from 'zod';
import { loadYamlFile } from '../lib/yaml-file.ts';
import type { Store } from '../store/es.ts';
import { randomPassword } from './auth/password.ts';
import { Role } from './auth/principal.ts';
import { countUsers, createUser, getUser, updateUser, Username } from './auth/users.ts';
import { hashPassword } from './auth/password.ts';

export const SeedFile = z.strictObject({
  users: z.array(z.strictObject({ username: Username, displayName: z.string().min(1), role: Role, agencyId: z.string().min(1).optional() })).min(1),
});

export const DEFAULT_SEED_FILE = new URL('./seed-users.yaml', import.meta.url).pathname;

/** Creates the seed users only when there are none; returns the generated credentials (empty otherwise). */
export async function seedUsers(store: Store, now: Date, file = DEFAULT_SEED_FILE): Promise<Array<{ username: string; role: string; password: string }>> {
  if ((await countUsers(store)) > 0) return [];
  const { data } = loadYamlFile(file, SeedFile);
  const out: Array<{ username: string; role: string; password: string }> = [];
  for (const u of data.users) {
    const password = randomPassword();
    await createUser(store, { username: u.username, displayName: u.displayName, role: u.role, agencyId: u.agencyId ?? null, password }, now);
    out.push({ username: u.username, role: u.role, password });
  }
  return out;
}

/**
 * The demo only (loopback, sample data): every seed account gets a fresh random password on each start, so
 * the demo can print a login for each role every time it starts, not just the first.
 */
export async function refreshSeedPasswords(store: Store, now: Date, file = DEFAULT_SEED_FILE): Promise<Array<{ username: string; role: string; password: string }>> {
  const { data } = loadYamlFile(file, SeedFile);
  const out: Array<{ username: string; role: string; password: string }> = [];
  for (const u of data.users) {
    const password = randomPassword();
    const existing = await getUser(store, u.username);
    if (existing) await updateUser(store, existing, { passwordHash: await hashPassword(password), active: true }, now);
    else await createUser(store, { username: u.username, displayName: u.displayName, role: u.role, agencyId: u.agencyId ?? null, password }, now);
    out.push({ username: u.username, role: u.role, password });
  }
  return out;
}
