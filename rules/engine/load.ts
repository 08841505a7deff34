/**
 * Load the rule files of a directory (`*.yaml`, `*.yml`, in file-name order), validate them, and report
 * every problem as `file:line:col: path: message` in one DataFileError.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError, YamlSource } from '../../lib/yaml-file.ts';
import type { DataIssue } from '../../lib/yaml-file.ts';
import type { Regimes } from '../legal/regimes.ts';
import { RuleFile } from './schema.ts';
import type { Condition, LoadedRule, RuleSet } from './schema.ts';

export interface LoadOptions {
  /** When given, deadline parameters and regime ids used by rules are checked against these regimes. */
  regimes?: Regimes;
}

export function loadRules(dir: string, opts: LoadOptions = {}): RuleSet {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  return parseRuleFiles(
    files.map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') })),
    opts,
  );
}

function regimeIdsIn(
  c: Condition,
  out: Array<{ id: string; path: PropertyKey[] }>,
  path: PropertyKey[],
): void {
  if ('all' in c) c.all.forEach((x, i) => regimeIdsIn(x, out, [...path, 'all', i]));
  else if ('any' in c) c.any.forEach((x, i) => regimeIdsIn(x, out, [...path, 'any', i]));
  else if ('not' in c) regimeIdsIn(c.not, out, [...path, 'not']);
  else if ('regime' in c) c.regime.forEach((id, i) => out.push({ id, path: [...path, 'regime', i] }));
}

export function parseRuleFiles(
  sources: Array<{ file: string; text: string }>,
  opts: LoadOptions = {},
): RuleSet {
  const issues: DataIssue[] = [];
  const rules: LoadedRule[] = [];
  const seen = new Map<string, string>();
  for (const { file, text } of sources) {
    const src = new YamlSource(file, text);
    const syntax = src.syntaxIssues();
    if (syntax.length > 0) {
      issues.push(...syntax);
      continue;
    }
    const parsed = RuleFile.safeParse(src.doc.toJS());
    if (!parsed.success) {
      issues.push(...src.zodIssues(parsed.error));
      continue;
    }
    const { scope, rules: list } = parsed.data;
    list.forEach((rule, i) => {
      const at = (...p: PropertyKey[]) => ['rules', i, ...p];
      const prev = seen.get(rule.id);
      if (prev) issues.push(src.issue(at('id'), `duplicate rule id "${rule.id}" (first defined at ${prev})`));
      const line = src.position(at()).line;
      seen.set(rule.id, `${file}:${line}`);
      if (opts.regimes) {
        const param = rule.then.deadline?.param;
        if (param) {
          for (const r of opts.regimes.list)
            if (!(param in r.parameters))
              issues.push(
                src.issue(at('then', 'deadline', 'param'), `regime ${r.id} has no parameter "${param}"`),
              );
        }
        const refs: Array<{ id: string; path: PropertyKey[] }> = [];
        regimeIdsIn(rule.when, refs, at('when'));
        if (scope) regimeIdsIn(scope, refs, ['scope']);
        rule.basis.forEach((b, j) => b.regime && refs.push({ id: b.regime, path: at('basis', j, 'regime') }));
        for (const ref of refs)
          if (!opts.regimes.byId(ref.id)) issues.push(src.issue(ref.path, `unknown regime "${ref.id}"`));
      }
      if (!rule.enabled) return;
      rules.push({
        ...rule,
        when: scope ? { all: [scope, rule.when] } : rule.when,
        then: { ...rule.then, priority: rule.then.priority as 1 | 2 | 3 },
        file,
        line,
      });
    });
  }
  if (issues.length > 0) throw new DataFileError(issues);
  return { rules };
}
