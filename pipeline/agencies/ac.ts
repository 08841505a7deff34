/**
 * Aho-Corasick automaton over a small alphabet, compiled to a full DFA table (state × symbol → state), so that
 * scanning costs one typed-array read per input symbol.
 *
 * Keys are plain strings (the linker feeds folded text); characters not used by any key map to symbol 0,
 * which always leads back to the root. Build: O(total key length × alphabet size).
 *
 * States are numbered breadth-first (the root and the shallow states that most input characters visit come
 * first and sit together in memory) and the table is 16-bit when the state count allows: scanning is a chain
 * of dependent table reads, so a table that stays in the CPU caches is what makes it fast.
 */
export class AhoCorasick {
  /** Char code → symbol (1..alphabetSize-1); 0 = not in any key. */
  readonly symbols: Uint16Array = new Uint16Array(65536);
  readonly alphabetSize: number;
  /** Full transition table: delta[state * alphabetSize + symbol]. */
  readonly delta: Uint16Array | Int32Array;
  /** Key index ending exactly at this state, or -1. */
  readonly out: Int32Array;
  /** Next state on the suffix chain that ends a key, or -1. */
  readonly dictLink: Int32Array;
  /** First state of this state's output chain (itself when it ends a key, else its dictLink), or -1. */
  readonly firstOut: Int32Array;
  readonly keyLength: Int32Array;
  readonly stateCount: number;

  constructor(readonly keys: readonly string[]) {
    // Symbols by descending frequency in the keys (letters and space first), so that the transitions text
    // takes most often sit together at the start of each row.
    const freq = new Map<number, number>();
    for (const k of keys)
      for (let i = 0; i < k.length; i++) freq.set(k.charCodeAt(i), (freq.get(k.charCodeAt(i)) ?? 0) + 1);
    let next = 1;
    for (const [c] of [...freq].sort((x, y) => y[1] - x[1] || x[0] - y[0])) this.symbols[c] = next++;
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
    // Breadth-first numbering: rank[trie state] = new state id (the root stays 0).
    const rank = new Int32Array(n);
    const order = new Int32Array(n);
    {
      let head = 0;
      let tail = 1;
      while (head < tail) {
        const s = order[head++]!;
        for (const t of children[s]!.values()) {
          rank[t] = tail;
          order[tail++] = t;
        }
      }
    }
    const kids: Array<Array<[number, number]>> = new Array<Array<[number, number]>>(n);
    for (let r = 0; r < n; r++) {
      const s = order[r]!;
      kids[r] = [...children[s]!].map(([sym, t]) => [sym, rank[t]!] as [number, number]);
    }
    const delta = (this.delta = n <= 0x10000 ? new Uint16Array(n * A) : new Int32Array(n * A));
    const fail = new Int32Array(n);
    const out = (this.out = new Int32Array(n));
    for (let r = 0; r < n; r++) out[r] = outList[order[r]!]!;
    const dict = (this.dictLink = new Int32Array(n).fill(-1));
    // BFS: delta of the root first, then each state copies its failure state's row and overrides its children.
    // States are numbered in BFS order, so the queue is simply 1, 2, 3, …
    for (const [sym, t] of kids[0]!) {
      delta[sym] = t;
      fail[t] = 0;
    }
    for (let s = 1; s < n; s++) {
      const f = fail[s]!;
      dict[s] = out[f]! >= 0 ? f : dict[f]!;
      delta.copyWithin(s * A, f * A, f * A + A);
      for (const [sym, t] of kids[s]!) {
        fail[t] = delta[f * A + sym]!;
        delta[s * A + sym] = t;
      }
    }
    this.firstOut = new Int32Array(n);
    for (let s = 0; s < n; s++) this.firstOut[s] = out[s]! >= 0 ? s : dict[s]!;
  }
}
