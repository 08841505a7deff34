import { fold } from '../normalize/vi-text.ts';

/** Folded syllables (diacritics, case and punctuation removed): the unit every similarity here works on. */
export function syllables(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(h: number, seed: number): number {
  let x = (h ^ seed) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export const NUM_HASHES = 64;
export const BANDS = 32;
const ROWS = NUM_HASHES / BANDS;
const SEEDS = Array.from({ length: NUM_HASHES }, (_, i) => mix(0x9e3779b9 + i * 0x7f4a7c15, 0x2545f491));

/** MinHash of the k-syllable shingles of a text (a text shorter than k is one shingle). */
export function minhash(text: string, k = 4): Uint32Array {
  const words = syllables(text);
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  const shingles = words.length < k ? [words.join(' ')] : [];
  for (let i = 0; i + k <= words.length; i++) shingles.push(words.slice(i, i + k).join(' '));
  for (const shingle of shingles) {
    const h = fnv1a(shingle);
    for (let j = 0; j < NUM_HASHES; j++) {
      const v = mix(h, SEEDS[j]!);
      if (v < sig[j]!) sig[j] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of the two shingle sets. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < NUM_HASHES; i++) if (a[i] === b[i]) same++;
  return same / NUM_HASHES;
}

/** LSH band keys: two texts with a high Jaccard similarity share at least one key with high probability. */
export function bandKeys(sig: Uint32Array): string[] {
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = mix(h, sig[b * ROWS + r]!);
    keys.push(`${b.toString(36)}.${h.toString(36)}`);
  }
  return keys;
}

export const encodeSignature = (sig: Uint32Array): string => Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength).toString('base64');
export const decodeSignature = (s: string): Uint32Array => {
  const buf = Buffer.from(s, 'base64');
  return new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};
