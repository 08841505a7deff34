/**
 * Aho-Corasick automaton over a small alphabet, compiled to a full DFA table (state × symbol → state), so that
 * scanning costs one typed-array read per input symbol.
 *
 * Keys are plain strings (the linker feeds folded text); characters not used by any key map to symbol 0,
 * which always leads back to the root. Build: O(total key length × alphabet size).
 */
export class AhoCorasick {
  /** Char code → symbol (1..alphabetSize-1); 0 = not in any key. */
  readonly symbols: Uint16Array = new Uint16Array(65536);
  readonly alphabetSize: number;
  /** Full transition table: delta[state * alphabetSize + symbol]. */
  readonly delta: Int32Array;
  /** Key index ending exactly at this state, or -1. */
  readonly out: Int32Array;
  /** Next state on the suffix chain that ends a key, or -1. */
  readonly dictLink: Int32Array;
  readonly keyLength: Int32Array;
  readonly stateCount: number;

  constructor(readonly keys: readonly string[]) {
    let next = 1;
    for (const k of keys) {
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (this.symbols[c] === 0) this.symbols[c] = next++;
      }
    }
    const A = (this.alphabetSize = next);
    // Trie with sparse children during construction.
    const children: Array<Map<number, number>> = [new Map()];
    const outList: number[] = [-1];
    this.keyLength = new Int32Array(keys.length);
    keys.forEach((k, ki) => {
      let s = 0;
      for (let i = 0; i < k.length; i++) {
        const sym = this.symbols[k.charCodeAt(i)]!;
        let t = children[s]!.get(sym);
        if (t === undefined) {
          t = children.length;
          children.push(new Map());
          outList.push(-1);
          children[s]!.set(sym, t);
        }
        s = t;
      }
      if (outList[s] !== -1) throw new Error(`duplicate Aho-Corasick key: ${JSON.stringify(k)}`);
      outList[s] = ki;
      this.keyLength[ki] = k.length;
    });
    const n = (this.stateCount = children.length);
    const delta = (this.delta = new Int32Array(n * A));
    const fail = new Int32Array(n);
    const out = (this.out = Int32Array.from(outList));
    const dict = (this.dictLink = new Int32Array(n).fill(-1));
    // BFS: delta of the root first, then each state copies its failure state's row and overrides its children.
    const queue = new Int32Array(n);
    let head = 0;
    let tail = 0;
    for (const [sym, t] of children[0]!) {
      delta[sym] = t;
      fail[t] = 0;
      queue[tail++] = t;
    }
    while (head < tail) {
      const s = queue[head++]!;
      const f = fail[s]!;
      dict[s] = out[f]! >= 0 ? f : dict[f]!;
      delta.copyWithin(s * A, f * A, f * A + A);
      for (const [sym, t] of children[s]!) {
        fail[t] = delta[f * A + sym]!;
        delta[s * A + sym] = t;
        queue[tail++] = t;
      }
    }
  }
}
