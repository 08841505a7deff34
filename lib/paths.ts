import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever the current working directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function fromRoot(...parts: string[]): string {
  return resolve(repoRoot, ...parts);
}
