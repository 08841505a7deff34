import { bandKeys, minhash, similarity } from './minhash.ts';

export interface CopyEntry {
  id: string;
  signature: Uint32Array;
  /** The canonical article this one copies, or null when it is itself canonical. */
  duplicateOf: string | null;
}

/** Where earlier articles' signatures are looked up: in memory for a batch, the index when connected. */
export interface CopyStore {
  candidates(bands: string[]): Promise<CopyEntry[]>;
  add(entry: CopyEntry, bands: string[]): Promise<void>;
}

export interface CopyResult {
  duplicateOf: string | null;
  similarity: number;
  signature: Uint32Array;
  bands: string[];
}

/** Estimated shingle overlap above which an article is a re-publication of another. */
export const COPY_THRESHOLD = 0.6;

/** The text compared for copies: the body, or everything when the body is too short to say. */
export function copyText(a: { title: string | null; sapo?: string | null; body: string | null }): string {
  const body = a.body ?? '';
  return body.length >= 400 ? body : `${a.title ?? ''}\n${a.sapo ?? ''}\n${body}`;
}

/**
 * Is this article a syndicated or re-published copy (exact or lightly edited) of one seen before?
 * A copy of a copy points at the first article of the chain.
 */
export async function detectCopy(
  article: { id: string; title: string | null; sapo?: string | null; body: string | null },
  store: CopyStore,
  threshold = COPY_THRESHOLD,
): Promise<CopyResult> {
  const signature = minhash(copyText(article));
  const bands = bandKeys(signature);
  let best: CopyEntry | null = null;
  let bestSim = 0;
  for (const c of await store.candidates(bands)) {
    if (c.id === article.id) continue;
    const sim = similarity(signature, c.signature);
    if (sim > bestSim || (sim === bestSim && best && c.id < best.id)) {
      best = c;
      bestSim = sim;
    }
  }
  const duplicateOf = best && bestSim >= threshold ? (best.duplicateOf ?? best.id) : null;
  await store.add({ id: article.id, signature, duplicateOf }, bands);
  return { duplicateOf, similarity: duplicateOf ? bestSim : 0, signature, bands };
}

export class MemoryCopyStore implements CopyStore {
  private readonly entries = new Map<string, CopyEntry>();
  private readonly byBand = new Map<string, Set<string>>();

  async candidates(bands: string[]): Promise<CopyEntry[]> {
    const ids = new Set<string>();
    for (const b of bands) for (const id of this.byBand.get(b) ?? []) ids.add(id);
    return [...ids].map((id) => this.entries.get(id)!);
  }

  async add(entry: CopyEntry, bands: string[]): Promise<void> {
    if (this.entries.has(entry.id)) return;
    this.entries.set(entry.id, entry);
    for (const b of bands) {
      let set = this.byBand.get(b);
      if (!set) this.byBand.set(b, (set = new Set()));
      set.add(entry.id);
    }
  }
}
