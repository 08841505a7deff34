/**
 * Rule files as the office edits them: the shipped defaults (rules/default, read-only) overlaid by
 * overrides in `<storageDir>/rules/` with the same file name. An override replaces the whole default file
 * of that name; the shipped files are never written, so an update of the software cannot lose an edit and
 * "restore default" is deleting the override.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromRoot } from '../../lib/paths.ts';
import { parseRuleFiles, type LoadOptions } from './load.ts';
import type { RuleSet } from './schema.ts';

export const DEFAULT_RULES_DIR = fromRoot('rules', 'default');
/** A plain file name (no directories), as the rules loader reads them. */
export const RULE_FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,80}\.ya?ml$/;

export const overridesDir = (storageDir: string) => resolve(storageDir, 'rules');

export interface RuleFileInfo {
  name: string;
  /** default: the shipped file; override: the office's version replaces it; added: no shipped file of that name. */
  origin: 'default' | 'override' | 'added';
  path: string;
  text: string;
  hasDefault: boolean;
}

const yamlFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile() && RULE_FILE_NAME.test(d.name)).map((d) => d.name) : []);

/** The effective rule files in load order (file name), each from its override when there is one. */
export function effectiveRuleFiles(storageDir: string, defaultDir = DEFAULT_RULES_DIR): RuleFileInfo[] {
  const defaults = new Set(yamlFiles(defaultDir));
  const overrides = new Set(yamlFiles(overridesDir(storageDir)));
  return [...new Set([...defaults, ...overrides])].sort().map((name) => {
    const overridden = overrides.has(name);
    const path = overridden ? join(overridesDir(storageDir), name) : join(defaultDir, name);
    return { name, origin: overridden ? (defaults.has(name) ? 'override' : 'added') : 'default', path, text: readFileSync(path, 'utf8'), hasDefault: defaults.has(name) };
  });
}

/** What the rules check loads: the defaults with the office's overrides, so a saved edit takes effect at the next check. */
export function loadEffectiveRules(storageDir: string, opts: LoadOptions = {}, defaultDir = DEFAULT_RULES_DIR): RuleSet {
  return parseRuleFiles(
    effectiveRuleFiles(storageDir, defaultDir).map((f) => ({ file: f.path, text: f.text })),
    opts,
  );
}

/** Changes whenever an override is saved or removed (names and modification times), to know when to reload. */
export function overridesVersion(storageDir: string): string {
  const dir = overridesDir(storageDir);
  return yamlFiles(dir)
    .sort()
    .map((name) => `${name}@${statSync(join(dir, name)).mtimeMs}`)
    .join('|');
}
