/**
 * One pass over a parsed page (domhandler nodes) that lists every element in document order, with its
 * subtree range and per-tag lists, plus a matcher for the small CSS subset the extractor's fixed
 * selector lists use. The extractor asks many questions of the same page ("the <meta> tags", "elements
 * whose class contains breadcrumb", "the links inside this box"); answering them from the index avoids
 * a selector parse, a compile and a walk of the whole tree per question.
 *
 * Matching follows css-select (what cheerio uses) in HTML mode exactly, so `selectIn(index, sel)` gives
 * what `$(sel).toArray()` gives, in the same order:
 *   - tag names and attribute names compare in lower case;
 *   - `.c` is `[class~="c"]`, `#i` is `[id="i"]`, both case-sensitive;
 *   - `[a="v"]`, `[a~="v"]`, `[a*="v"]`, `[a^="v"]`, `[a$="v"]`, `[a]` compare values case-sensitively,
 *     except for the attributes HTML defines as case-insensitive (rel, type, lang…);
 *   - a space is the descendant combinator, a comma separates alternatives (results in document order).
 * Anything else (child combinators, pseudo-classes…) is refused when the selector is compiled, so the
 * extractor's own constants fail at load time, never silently; site overrides keep using cheerio.
 */
import type { AnyNode, Element } from 'domhandler';

export interface DomIndex {
  /** Every element (tags, scripts, styles) in document order. */
  all: Element[];
  /** Position of each element in `all`. */
  pos: Map<Element, number>;
  /** For the element at position i, the position of its last descendant (i itself when it has none). */
  end: number[];
  /** Elements by tag name (lower case), in document order. */
  byTag: Map<string, Element[]>;
}

function isTag(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

/** Detach a node from its parent and siblings (what cheerio's remove() does). */
function detach(el: Element): void {
  if (el.prev) el.prev.next = el.next;
  if (el.next) el.next.prev = el.prev;
  el.prev = el.next = el.parent = null;
}

/**
 * Index the elements under `root` (the root itself is not listed unless it is an element). Elements
 * whose tag name is in `remove` are detached from the tree on the way, with their whole subtree, and
 * not listed. Iterative: deep, malformed trees do not overflow the stack.
 */
export function buildDomIndex(root: AnyNode, opts: { remove?: ReadonlySet<string> } = {}): DomIndex {
  const all: Element[] = [];
  const end: number[] = [];
  const pos = new Map<Element, number>();
  const byTag = new Map<string, Element[]>();
  const remove = opts.remove;
  const add = (el: Element): number => {
    const p = all.length;
    all.push(el);
    end.push(p);
    pos.set(el, p);
    let list = byTag.get(el.name);
    if (!list) byTag.set(el.name, (list = []));
    list.push(el);
    return p;
  };
  const rootKids = (root as { children?: AnyNode[] }).children;
  let rootPos = -1;
  if (isTag(root)) rootPos = add(root);
  const kidsStack: AnyNode[][] = [rootKids ?? []];
  const indexStack: number[] = [0];
  const posStack: number[] = [rootPos];
  while (kidsStack.length > 0) {
    const top = kidsStack.length - 1;
    const kids = kidsStack[top]!;
    const i = indexStack[top]!;
    if (i >= kids.length) {
      kidsStack.pop();
      indexStack.pop();
      const p = posStack.pop()!;
      if (p >= 0) end[p] = all.length - 1;
      continue;
    }
    const node = kids[i]!;
    if (!isTag(node)) {
      indexStack[top] = i + 1;
      continue;
    }
    if (remove?.has(node.name)) {
      kids.splice(i, 1);
      detach(node);
      continue;
    }
    indexStack[top] = i + 1;
    const p = add(node);
    kidsStack.push(node.children ?? []);
    indexStack.push(0);
    posStack.push(p);
  }
  return { all, pos, end, byTag };
}

// ───────────────────────────── selectors ─────────────────────────────

/** Attributes whose values HTML compares case-insensitively (css-select's list, HTML mode). */
const CASE_INSENSITIVE_ATTRS = new Set([
  'accept',
  'accept-charset',
  'align',
  'alink',
  'axis',
  'bgcolor',
  'charset',
  'checked',
  'clear',
  'codetype',
  'color',
  'compact',
  'declare',
  'defer',
  'dir',
  'direction',
  'disabled',
  'enctype',
  'face',
  'frame',
  'hreflang',
  'http-equiv',
  'lang',
  'language',
  'link',
  'media',
  'method',
  'multiple',
  'nohref',
  'noresize',
  'noshade',
  'nowrap',
  'readonly',
  'rel',
  'rev',
  'rules',
  'scope',
  'scrolling',
  'selected',
  'shape',
  'target',
  'text',
  'type',
  'valign',
  'valuetype',
  'vlink',
]);

/**
 * `scope`: for a search inside an element (find), descendant combinators only look at ancestors below
 * it, as cheerio does (it reads `$(box).find("a b")` as `:scope a b`).
 */
export type Matcher = (el: Element, scope?: Element | null) => boolean;

/** A compiled selector list; `tags` is set when every alternative names its tag (lookups by tag then). */
export interface CompiledSelector {
  source: string;
  test: Matcher;
  tags: string[] | null;
}

const escapeRe = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

type ValueTest = (v: string) => boolean;
const never: ValueTest = () => false;

/** The test an attribute selector applies to a present attribute's value. */
function valueTest(name: string, op: string | undefined, value: string): ValueTest {
  const ci = CASE_INSENSITIVE_ATTRS.has(name);
  switch (op) {
    case undefined:
      return () => true;
    case '=': {
      if (ci) {
        const v = value.toLowerCase();
        return (a) => a.length === v.length && a.toLowerCase() === v;
      }
      return (a) => a === value;
    }
    case '~=': {
      if (/\s/.test(value)) return never;
      const re = new RegExp(`(?:^|\\s)${escapeRe(value)}(?:$|\\s)`, ci ? 'i' : '');
      return (a) => a.length >= value.length && re.test(a);
    }
    case '*=': {
      if (value === '') return never;
      if (ci) {
        const re = new RegExp(escapeRe(value), 'i');
        return (a) => a.length >= value.length && re.test(a);
      }
      return (a) => a.includes(value);
    }
    case '^=': {
      if (value === '') return never;
      if (ci) {
        const v = value.toLowerCase();
        return (a) => a.length >= v.length && a.slice(0, v.length).toLowerCase() === v;
      }
      return (a) => a.startsWith(value);
    }
    case '$=': {
      if (value === '') return never;
      if (ci) {
        const v = value.toLowerCase();
        return (a) => a.length >= v.length && a.slice(-v.length).toLowerCase() === v;
      }
      return (a) => a.endsWith(value);
    }
    default:
      throw new Error(`unsupported attribute operator ${op}`);
  }
}

interface AttrTest {
  name: string;
  test: ValueTest;
}

function attrMatcher(t: AttrTest): Matcher {
  const { name, test } = t;
  return (el) => {
    const a = el.attribs?.[name];
    return a !== undefined && test(a);
  };
}

const IDENT = /^-?[A-Za-z_][A-Za-z0-9_-]*/;

interface Compound {
  tag: string | null;
  tests: AttrTest[];
}

function parseCompound(src: string, selector: string): Compound {
  let s = src;
  let tag: string | null = null;
  const tests: AttrTest[] = [];
  const head = /^(\*|[A-Za-z][A-Za-z0-9-]*)/.exec(s);
  if (head) {
    if (head[1] !== '*') tag = head[1]!.toLowerCase();
    s = s.slice(head[0].length);
  }
  while (s.length > 0) {
    if (s[0] === '.' || s[0] === '#') {
      const m = IDENT.exec(s.slice(1));
      if (!m) throw new Error(`unsupported selector ${JSON.stringify(selector)}`);
      tests.push(
        s[0] === '.'
          ? { name: 'class', test: valueTest('class', '~=', m[0]) }
          : { name: 'id', test: valueTest('id', '=', m[0]) },
      );
      s = s.slice(1 + m[0].length);
      continue;
    }
    const attr = /^\[\s*([A-Za-z_:][A-Za-z0-9_:.-]*)\s*(?:([~*^$]?=)\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*)?\]/.exec(s);
    if (attr) {
      const name = attr[1]!.toLowerCase();
      tests.push({ name, test: valueTest(name, attr[2], attr[3] ?? attr[4] ?? attr[5] ?? '') });
      s = s.slice(attr[0].length);
      continue;
    }
    throw new Error(`unsupported selector ${JSON.stringify(selector)}`);
  }
  if (!tag && tests.length === 0) throw new Error(`unsupported selector ${JSON.stringify(selector)}`);
  return { tag, tests };
}

function compoundTest(c: Compound): Matcher {
  const { tag } = c;
  const tests = c.tests.map(attrMatcher);
  if (tests.length === 0) return (el) => el.name === tag;
  if (tests.length === 1) {
    const t = tests[0]!;
    return tag ? (el) => el.name === tag && t(el) : t;
  }
  return (el) => (tag === null || el.name === tag) && tests.every((t) => t(el));
}

/** The parent when it is an element (css-select stops at the document). */
function parentElement(el: Element): Element | null {
  const p = el.parent;
  return p && isTag(p) ? p : null;
}

/** Compile a selector list of the supported subset; throws on anything else. */
export function compileSelector(selector: string): CompiledSelector {
  const alternatives = selector.split(',').map((part) => {
    const chain = part.trim().split(/\s+/).filter(Boolean);
    if (chain.length === 0) throw new Error(`unsupported selector ${JSON.stringify(selector)}`);
    return chain.map((c) => parseCompound(c, selector));
  });
  // Alternatives that are one attribute test (".c", "[class*=x]", "[itemprop=y]") are grouped by
  // attribute: an element without that attribute is ruled out by one lookup, not one per alternative.
  const byAttr = new Map<string, ValueTest[]>();
  const others: Compound[][] = [];
  for (const chain of alternatives) {
    const only = chain.length === 1 ? chain[0]! : null;
    if (only && only.tag === null && only.tests.length === 1) {
      const t = only.tests[0]!;
      const list = byAttr.get(t.name) ?? [];
      list.push(t.test);
      byAttr.set(t.name, list);
    } else others.push(chain);
  }
  const groups = [...byAttr];
  const tests = others.map((chain): Matcher => {
    const subject = compoundTest(chain[chain.length - 1]!);
    const ancestorsTests = chain.slice(0, -1).map(compoundTest);
    if (ancestorsTests.length === 0) return subject;
    // descendant combinators, matched right to left (greedy is exact for descendant-only chains)
    return (el, scope) => {
      if (!subject(el)) return false;
      let k = ancestorsTests.length - 1;
      let n = parentElement(el);
      while (n && n !== scope && k >= 0) {
        if (ancestorsTests[k]!(n)) k--;
        n = parentElement(n);
      }
      return k < 0;
    };
  });
  const subjects = alternatives.map((chain) => chain[chain.length - 1]!.tag);
  const tags = subjects.every((t): t is string => t !== null) ? [...new Set(subjects)] : null;
  const test: Matcher =
    groups.length === 0 && tests.length === 1
      ? tests[0]!
      : (el, scope) => {
          const attribs = el.attribs;
          if (attribs) {
            for (const [name, valueTests] of groups) {
              const v = attribs[name];
              if (v !== undefined) for (const t of valueTests) if (t(v)) return true;
            }
          }
          for (const t of tests) if (t(el, scope)) return true;
          return false;
        };
  return { source: selector, test, tags };
}

const compiled = new Map<string, CompiledSelector>();

function compiledOf(selector: string | CompiledSelector): CompiledSelector {
  if (typeof selector !== 'string') return selector;
  let c = compiled.get(selector);
  if (!c) {
    c = compileSelector(selector);
    if (compiled.size < 500) compiled.set(selector, c);
  }
  return c;
}

/** Elements of the whole indexed tree matching the selector, in document order (as `$(selector)`). */
export function selectIn(index: DomIndex, selector: string | CompiledSelector): Element[] {
  const c = compiledOf(selector);
  let candidates = index.all;
  if (c.tags) {
    // every alternative names its tag: only those elements can match (merged back in document order)
    const lists = c.tags.map((t) => index.byTag.get(t) ?? []).filter((l) => l.length > 0);
    candidates = lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => index.pos.get(a)! - index.pos.get(b)!);
  }
  const out: Element[] = [];
  for (const el of candidates) if (c.test(el)) out.push(el);
  return out;
}

/** Descendants of `el` matching the selector, in document order (as `$(el).find(selector)`). */
export function findIn(index: DomIndex, el: Element, selector: string | CompiledSelector): Element[] {
  const c = compiledOf(selector);
  // cheerio scopes the selector to the element unless it is a top-level one (<html>)
  const scope = el.parent && isTag(el.parent) ? el : null;
  const p = index.pos.get(el);
  if (p === undefined) return findByWalk(el, c.test, scope);
  const out: Element[] = [];
  const last = index.end[p]!;
  const all = index.all;
  for (let i = p + 1; i <= last; i++) {
    const e = all[i]!;
    if (c.test(e, scope)) out.push(e);
  }
  return out;
}

/** Same as findIn for an element the index does not know (not expected; kept exact all the same). */
function findByWalk(el: Element, test: Matcher, scope: Element | null): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [];
  const kids = el.children ?? [];
  for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (!isTag(n)) continue;
    if (test(n, scope)) out.push(n);
    const ks = n.children ?? [];
    for (let i = ks.length - 1; i >= 0; i--) stack.push(ks[i]!);
  }
  return out;
}

/** Element children (tags, scripts, styles), as cheerio's children(). */
export function elementChildren(el: Element): Element[] {
  return (el.children ?? []).filter(isTag);
}

/** All text under a node, comments excluded (cheerio's text() / domutils textContent). */
export function textContent(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (node.type === 'comment') return '';
  const parts: string[] = [];
  const stack: AnyNode[] = [];
  const kids = (node as { children?: AnyNode[] }).children ?? [];
  for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'text') {
      parts.push((n as unknown as { data: string }).data);
      continue;
    }
    if (n.type === 'comment') continue;
    const ks = (n as { children?: AnyNode[] }).children;
    if (ks) for (let i = ks.length - 1; i >= 0; i--) stack.push(ks[i]!);
  }
  return parts.join('');
}
