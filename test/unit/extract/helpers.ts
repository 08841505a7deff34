/** Test helpers: fixtures and legacy encodings. */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/**
 * Encode Vietnamese text the way windows-1258 pages store it: base letters with their quality mark
 * precomposed (â ê ô ă ơ ư đ) and the tone as a separate combining mark.
 */
export function toWindows1258(text: string): Buffer {
  const split = text
    .normalize('NFD')
    .replace(/([A-Za-z])([\u0300-\u036f]+)/g, (_m, base: string, marks: string) => {
      const quality = [...marks].filter((c) => c === '\u0302' || c === '\u0306' || c === '\u031b').join('');
      const tone = [...marks].filter((c) => c !== '\u0302' && c !== '\u0306' && c !== '\u031b').join('');
      return (base + quality).normalize('NFC') + tone;
    });
  return iconv.encode(split, 'windows-1258');
}
