/**
 * Load a YAML data file and validate it with zod, reporting every problem as `file:line:col: path: message`
 * so that whoever edits rules, holidays or legal parameters can go straight to the offending line.
 */
import { readFileSync } from 'node:fs';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';

export interface DataIssue {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

export class DataFileError extends Error {
  readonly issues: DataIssue[];
  constructor(issues: DataIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'DataFileError';
    this.issues = issues;
  }
}

export function formatIssue(i: DataIssue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
}

/** A parsed YAML document that can map a data path back to a line in its file. */
export class YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  constructor(file: string, text: string) {
    this.file = file;
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: true, uniqueKeys: true });
  }

  /** YAML syntax errors (bad indentation, duplicate keys, …). */
  syntaxIssues(): DataIssue[] {
    return this.doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? this.lines.linePos(e.pos[0]);
      return { file: this.file, line: pos.line, col: pos.col, path: '', message: e.message.split('\n')[0]! };
    });
  }

  /**
   * Line and column of the node at `path`. When the path ends at a key that is missing, the position of
   * the closest existing ancestor; when an object has an unexpected key, pass that key as the last element
   * to point at the key itself.
   */
  position(path: ReadonlyArray<PropertyKey>): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let best: unknown = node;
    for (const raw of path) {
      const key = typeof raw === 'symbol' ? String(raw) : raw;
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key),
        );
        // A key with an empty value points at the key itself.
        if (pair) next = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof key === 'number') {
        next = node.items[key];
      }
      if (next === undefined || next === null) break;
      node = next;
      best = next;
    }
    const range = isNode(best) ? best.range : undefined;
    const offset = range ? range[0] : 0;
    return this.lines.linePos(offset);
  }

  /** Position of a mapping key (for "unrecognized key" issues). */
  keyPosition(path: ReadonlyArray<PropertyKey>, key: string): { line: number; col: number } {
    const parent = this.doc.getIn(path as unknown[], true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      if (pair && isPair(pair) && isNode(pair.key) && pair.key.range)
        return this.lines.linePos(pair.key.range[0]);
    }
    return this.position(path);
  }

  issue(path: ReadonlyArray<PropertyKey>, message: string): DataIssue {
    const pos = this.position(path);
    return { file: this.file, ...pos, path: formatPath(path), message };
  }

  /** Turn zod issues (paths relative to `base`) into file/line issues. */
  zodIssues(error: z.ZodError, base: ReadonlyArray<PropertyKey> = []): DataIssue[] {
    const out: DataIssue[] = [];
    for (const iss of error.issues) {
      const path = [...base, ...iss.path];
      if (iss.code === 'unrecognized_keys') {
        for (const key of iss.keys) {
          const pos = this.keyPosition(path, key);
          out.push({
            file: this.file,
            ...pos,
            path: formatPath([...path, key]),
            message: `unknown key "${key}"`,
          });
        }
        continue;
      }
      out.push(this.issue(path, iss.message));
    }
    return out;
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s;
}

/** Parse a YAML file and validate it; throws {@link DataFileError} naming file and line on any problem. */
export function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
): { data: z.output<S>; source: YamlSource } {
  const text = readFileSync(file, 'utf8');
  return parseYamlText(file, text, schema);
}

export function parseYamlText<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
): { data: z.output<S>; source: YamlSource } {
  const source = new YamlSource(file, text);
  const syntax = source.syntaxIssues();
  if (syntax.length > 0) throw new DataFileError(syntax);
  const raw: unknown = source.doc.toJS({ maxAliasCount: 100 });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new DataFileError(source.zodIssues(parsed.error));
  return { data: parsed.data, source };
}
