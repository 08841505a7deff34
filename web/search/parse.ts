/**
 * The search box syntax: words (with or without diacritics), "phrases", AND / OR / NOT (also `-word`),
 * parentheses, and field filters `agency:`, `outlet:`, `level:`, `province:`, `tone:`, `flag:`, `story:`,
 * `from:` / `to:` (YYYY-MM-DD or DD/MM/YYYY). Field filters always apply to the whole query (AND), even
 * inside an OR group: a simplification users do not notice and that keeps facets exact.
 */
export type Node =
  | { type: 'text'; text: string; phrase: boolean }
  | { type: 'and'; nodes: Node[] }
  | { type: 'or'; nodes: Node[] }
  | { type: 'not'; node: Node };

export const FILTER_FIELDS = ['agency', 'outlet', 'level', 'province', 'tone', 'flag', 'case', 'story', 'from', 'to'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type FieldFilters = Partial<Record<FilterField, string[]>>;

export interface ParsedQuery {
  node: Node | null;
  include: FieldFilters;
  exclude: FieldFilters;
}

type Token = { kind: 'word' | 'phrase'; value: string; negated: boolean } | { kind: 'op'; value: 'AND' | 'OR' | 'NOT' | '(' | ')' } | { kind: 'field'; field: FilterField; value: string; negated: boolean };

const TOKEN = /\s*(?:(\()|(\))|(-)?([a-z]+):(?:"([^"]*)"?|(\S+))|(-)?"([^"]*)"?|(-)?([^\s()"]+))/gy;

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  const text = input.normalize('NFC');
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) {
    if (m[1]) out.push({ kind: 'op', value: '(' });
    else if (m[2]) out.push({ kind: 'op', value: ')' });
    else if (m[4]) {
      const field = m[4] as FilterField;
      const value = (m[5] ?? m[6] ?? '').trim();
      if ((FILTER_FIELDS as readonly string[]).includes(field) && value) out.push({ kind: 'field', field, value, negated: Boolean(m[3]) });
      else if (value) out.push({ kind: 'word', value: `${m[4]} ${value}`, negated: Boolean(m[3]) });
    } else if (m[8] !== undefined) {
      if (m[8].trim()) out.push({ kind: 'phrase', value: m[8].trim(), negated: Boolean(m[7]) });
    } else if (m[10]) {
      const w = m[10];
      if (w === 'AND' || w === '&&') out.push({ kind: 'op', value: 'AND' });
      else if (w === 'OR' || w === '||') out.push({ kind: 'op', value: 'OR' });
      else if (w === 'NOT') out.push({ kind: 'op', value: 'NOT' });
      else if (m[9] && w.length > 0) out.push({ kind: 'word', value: w, negated: true });
      else out.push({ kind: 'word', value: w, negated: false });
    }
    if (m[0] === '') break;
  }
  return out;
}

export function parseQuery(input: string): ParsedQuery {
  const tokens = tokenize(input);
  const include: FieldFilters = {};
  const exclude: FieldFilters = {};
  const rest: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'field') {
      const into = t.negated ? exclude : include;
      (into[t.field] ??= []).push(t.value);
    } else rest.push(t);
  }
  let pos = 0;
  const peek = () => rest[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t?.kind === 'op' && t.value === v;
  };

  function primary(): Node | null {
    const t = peek();
    if (!t) return null;
    if (t.kind === 'op' && t.value === '(') {
      pos++;
      const inner = orExpr();
      if (isOp(')')) pos++;
      return inner;
    }
    if (t.kind === 'op') {
      pos++; // a stray operator or ')' is ignored
      return null;
    }
    if (t.kind === 'field') return null;
    pos++;
    const leaf: Node = { type: 'text', text: t.value, phrase: t.kind === 'phrase' };
    return t.negated ? { type: 'not', node: leaf } : leaf;
  }
  function unary(): Node | null {
    if (isOp('NOT')) {
      pos++;
      const n = unary();
      return n ? { type: 'not', node: n } : null;
    }
    return primary();
  }
  function andExpr(): Node | null {
    const nodes: Node[] = [];
    for (;;) {
      const t = peek();
      if (!t || (t.kind === 'op' && (t.value === 'OR' || t.value === ')'))) break;
      if (t.kind === 'op' && t.value === 'AND') {
        pos++;
        continue;
      }
      const n = unary();
      if (n) nodes.push(n);
    }
    return nodes.length === 0 ? null : nodes.length === 1 ? nodes[0]! : { type: 'and', nodes };
  }
  function orExpr(): Node | null {
    const nodes: Node[] = [];
    const first = andExpr();
    if (first) nodes.push(first);
    while (isOp('OR')) {
      pos++;
      const n = andExpr();
      if (n) nodes.push(n);
    }
    return nodes.length === 0 ? null : nodes.length === 1 ? nodes[0]! : { type: 'or', nodes };
  }
  const nodes: Node[] = [];
  while (pos < rest.length) {
    const n = orExpr();
    if (n) nodes.push(n);
    else pos++;
  }
  const node = nodes.length === 0 ? null : nodes.length === 1 ? nodes[0]! : { type: 'and' as const, nodes };
  return { node, include, exclude };
}

/** The positive words and phrases of a query, for highlighting. */
export function positiveTerms(node: Node | null, negated = false): Array<{ text: string; phrase: boolean }> {
  if (!node) return [];
  switch (node.type) {
    case 'text':
      return negated ? [] : [{ text: node.text, phrase: node.phrase }];
    case 'not':
      return positiveTerms(node.node, !negated);
    default:
      return node.nodes.flatMap((n) => positiveTerms(n, negated));
  }
}
