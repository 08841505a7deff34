import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';

/** A data file that does not fit its schema: every message names the file, the line and the field. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'DataFileError';
  }
}

function nodeAt(doc: Document, path: PropertyKey[]): YamlNode | undefined {
  let node: unknown = doc.contents;
  let last: unknown = node;
  for (const key of path) {
    if (isMap(node)) node = node.get(key as string, true);
    else if (isSeq(node)) node = node.get(key as number, true);
    else break;
    if (node === undefined) break;
    last = node;
  }
  return last as YamlNode | undefined;
}

export interface YamlLoadOptions {
  /** Label of the record an issue is in, e.g. `source "vnexpress"`, from the path and the raw data. */
  describe?: (path: PropertyKey[], raw: unknown) => string | null;
}

/** Parse YAML text and validate it; problems carry file:line, the record label and the field path. */
export function parseYamlData<S extends z.ZodType>(text: string, file: string, schema: S, opts: YamlLoadOptions = {}): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new DataFileError(
      file,
      doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  const raw = doc.toJS() as unknown;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const node = nodeAt(doc, issue.path);
    const offset = node?.range?.[0];
    const line = offset !== undefined ? lineCounter.linePos(offset).line : '?';
    const label = opts.describe?.(issue.path, raw);
    const field = issue.path.join('.') || '(root)';
    return `${file}:${line}: ${label ? `${label} ` : ''}field ${field}: ${issue.message}`;
  });
  throw new DataFileError(file, problems);
}

export function loadYamlFile<S extends z.ZodType>(file: string, schema: S, opts: YamlLoadOptions = {}): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataFileError(file, [`cannot read: ${(err as Error).message}`]);
  }
  return parseYamlData(text, file, schema, opts);
}

/** `describe` for files that are a list of records with an `id`. */
export function describeById(kind: string): NonNullable<YamlLoadOptions['describe']> {
  return (path, raw) => {
    if (!Array.isArray(raw) || typeof path[0] !== 'number') return null;
    const item = raw[path[0]] as { id?: unknown } | undefined;
    return typeof item?.id === 'string' ? `${kind} "${item.id}"` : `${kind} #${path[0] + 1}`;
  };
}
