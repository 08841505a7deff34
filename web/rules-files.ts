/**
 * Editing the office's rule overrides (see rules/engine/layers.ts for how they overlay the shipped
 * defaults). Every save keeps the previous text under `rules/history/`.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { writeFileAtomic } from '../lib/atomic-file.ts';
import { basename, join, resolve } from 'node:path';
import { DataFileError, YamlSource, type DataIssue } from '../lib/yaml-file.ts';
import { parseRuleFiles, type LoadOptions } from '../rules/engine/load.ts';
import { DEFAULT_RULES_DIR, effectiveRuleFiles, overridesDir, RULE_FILE_NAME } from '../rules/engine/layers.ts';

export { DEFAULT_RULES_DIR, effectiveRuleFiles, loadEffectiveRules, overridesDir, RULE_FILE_NAME, type RuleFileInfo } from '../rules/engine/layers.ts';

const historyDir = (storageDir: string) => resolve(storageDir, 'rules', 'history');

export interface RuleProblem extends DataIssue {
  /** `tệp:dòng:cột` and the message, in Vietnamese. */
  text: string;
}

export type RuleValidation = { ok: true; rules: number; total: number } | { ok: false; problems: RuleProblem[] };

/**
 * Check an edited file the way the rules check will load it: with every other effective file, so a rule id
 * that clashes with another file is caught too. Problems name file, line and column.
 */
export function validateRuleEdit(storageDir: string, name: string, text: string, opts: LoadOptions = {}, defaultDir = DEFAULT_RULES_DIR): RuleValidation {
  const syntax = new YamlSource(name, text).syntaxIssues();
  if (syntax.length > 0) return { ok: false, problems: syntax.map((i) => problem(i, true)) };
  const others = effectiveRuleFiles(storageDir, defaultDir).filter((f) => f.name !== name);
  const sources = [...others.map((f) => ({ file: f.path, text: f.text })), { file: name, text }].sort((a, b) => basename(a.file).localeCompare(basename(b.file)));
  try {
    const set = parseRuleFiles(sources, opts);
    return { ok: true, rules: set.rules.filter((r) => r.file === name).length, total: set.rules.length };
  } catch (err) {
    if (err instanceof DataFileError) return { ok: false, problems: err.issues.map((i) => problem(i, false)) };
    return { ok: false, problems: [problem({ file: name, line: 0, col: 0, path: '', message: (err as Error).message }, false)] };
  }
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** Keep the current override (if any) in the history, then write the new text atomically. */
export async function saveRuleOverride(storageDir: string, name: string, text: string, now: Date): Promise<string> {
  if (!RULE_FILE_NAME.test(name)) throw new Error(`invalid rule file name ${name}`);
  const dir = overridesDir(storageDir);
  await mkdir(historyDir(storageDir), { recursive: true });
  const target = join(dir, name);
  // Copied, not moved: the override stays in force until the new text replaces it in one rename.
  if (existsSync(target)) await copyFile(target, join(historyDir(storageDir), `${stamp(now)}-${name}.bak`));
  writeFileAtomic(target, text.endsWith('\n') ? text : `${text}\n`);
  return target;
}

/** Back to the shipped file: the override moves to the history. False when there was none. */
export async function removeRuleOverride(storageDir: string, name: string, now: Date): Promise<boolean> {
  const target = join(overridesDir(storageDir), name);
  if (!RULE_FILE_NAME.test(name) || !existsSync(target)) return false;
  await mkdir(historyDir(storageDir), { recursive: true });
  await rename(target, join(historyDir(storageDir), `${stamp(now)}-${name}.bak`));
  return true;
}

const TYPE_VI: Record<string, string> = {
  string: 'chuỗi',
  number: 'số',
  boolean: 'true/false',
  array: 'danh sách',
  object: 'đối tượng',
  undefined: 'không có giá trị',
  null: 'null',
  nan: 'NaN',
  date: 'ngày',
};
const unit = (u: string) => ({ items: 'phần tử', elements: 'phần tử', characters: 'ký tự', keys: 'khóa' })[u] ?? u;
const cmp = (adj: string, big: boolean) => (adj === '>=' || adj === '<=' ? (big ? 'nhiều nhất' : 'ít nhất') : big ? 'ít hơn' : 'nhiều hơn');

/** Messages of the rules schema, the loader and zod, in Vietnamese; unknown ones are kept as they are. */
const MESSAGES: Array<[RegExp, (...m: string[]) => string]> = [
  [/^Invalid input: expected (\w+), received (\w+)$/, (a, b) => `sai kiểu: cần ${TYPE_VI[a!] ?? a}, nhưng là ${TYPE_VI[b!] ?? b}`],
  [/^Invalid input: expected (.+)$/, (a) => `giá trị phải là ${a}`],
  [/^Invalid option: expected one of (.+)$/, (a) => `giá trị không hợp lệ; chỉ được dùng một trong: ${a}`],
  [/^Too small: expected (\w+) to have (>=|>)(\d+) (\w+)$/, (_o, adj, n, u) => `quá ít: cần ${cmp(adj!, false)} ${n} ${unit(u!)}`],
  [/^Too small: expected (\w+) to be (>=|>)(.+)$/, (_o, adj, n) => `giá trị quá nhỏ: phải ${adj === '>=' ? '≥' : '>'} ${n}`],
  [/^Too big: expected (\w+) to have (<=|<)(\d+) (\w+)$/, (_o, adj, n, u) => `quá nhiều: ${cmp(adj!, true)} ${n} ${unit(u!)}`],
  [/^Too big: expected (\w+) to be (<=|<)(.+)$/, (_o, adj, n) => `giá trị quá lớn: phải ${adj === '<=' ? '≤' : '<'} ${n}`],
  [/^Invalid string: must match pattern (.+)$/, (p) => `chuỗi không đúng dạng (mẫu ${p})`],
  [/^Unrecognized keys?: (.+?)(?::.*)?$/, (k) => `khóa không được phép: ${k}`],
  [/^unknown key "(.+)"$/, (k) => `khóa "${k}" không được phép ở đây`],
  [/^Invalid input$/, () => 'giá trị không hợp lệ'],
  [/^(\w+) condition is empty$/, (k) => `điều kiện "${k}" đang trống`],
  [/^a condition must be an object with one of: (.+)$/, (k) => `mỗi điều kiện phải là một đối tượng có một trong các khóa: ${k}`],
  [/^a condition must have exactly one key \((.+)\), got (.+)$/, (k, got) => `mỗi điều kiện có đúng một khóa (${k}); đang có: ${got === 'none' ? 'không có khóa nào' : got}`],
  [/^(\w+) needs a non-empty list of conditions$/, (k) => `"${k}" cần một danh sách điều kiện, không được để trống`],
  [/^unknown condition "(.+)"; expected one of: (.+)$/, (k, all) => `điều kiện không xác định "${k}"; chỉ dùng: ${all}`],
  [/^priority is 1, 2, 3 or high, medium, low \(1 = high\)$/, () => 'mức ưu tiên (priority) là 1, 2, 3 hoặc high, medium, low (1 = cao nhất)'],
  [/^unknown placeholder \{(.*)\}; allowed: (.+)$/, (k, all) => `biến thay thế {${k}} không xác định; chỉ dùng: ${all}`],
  [/^rule ids are lower-case slugs$/, () => 'mã quy tắc (id) chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang'],
  [/^every rule cites its legal or documentary basis$/, () => 'mỗi quy tắc phải nêu căn cứ pháp lý hoặc văn bản (basis)'],
  [/^expected a date YYYY-MM-DD$/, () => 'cần một ngày dạng YYYY-MM-DD'],
  [/^duplicate rule id "(.+)" \(first defined at (.+)\)$/, (id, at) => `mã quy tắc "${id}" bị trùng (đã khai báo tại ${shortAt(at!)})`],
  [/^regime (\S+) has no parameter "(.+)"$/, (r, p) => `chế độ pháp lý ${r} không có tham số thời hạn "${p}"`],
  [/^unknown regime "(.+)"$/, (r) => `chế độ pháp lý "${r}" không có trong rules/legal/regimes.yaml`],
];

const shortAt = (at: string) => at.replace(/^.*[\\/]/, '');

export function viRuleMessage(message: string): string {
  for (const [re, f] of MESSAGES) {
    const m = re.exec(message);
    if (m) return f(...m.slice(1));
  }
  return message;
}

function problem(i: DataIssue, syntax: boolean): RuleProblem {
  const file = basename(i.file);
  const message = syntax ? `lỗi cú pháp YAML: ${i.message}` : viRuleMessage(i.message);
  return { ...i, file, message, text: `Tệp ${file}, dòng ${i.line}, cột ${i.col}: ${i.path ? `${i.path}: ` : ''}${message}` };
}
