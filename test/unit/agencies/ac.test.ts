import { describe, expect, it } from 'vitest';
import { AhoCorasick } from '../../../pipeline/agencies/ac.ts';

/** All (start, key) matches of the automaton over `text`. */
function scan(ac: AhoCorasick, text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    s = ac.delta[s * ac.alphabetSize + ac.symbols[text.charCodeAt(i)]!]!;
    for (let o = ac.out[s]! >= 0 ? s : ac.dictLink[s]!; o >= 0; o = ac.dictLink[o]!) {
      const k = ac.out[o]!;
      out.push([i - ac.keyLength[k]! + 1, ac.keys[k]!]);
    }
  }
  return out.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
}

describe('AhoCorasick', () => {
  it('reports every key, including keys inside and overlapping other keys', () => {
    const ac = new AhoCorasick(['he', 'she', 'his', 'hers']);
    expect(scan(ac, 'ushers')).toEqual([
      [1, 'she'],
      [2, 'he'],
      [2, 'hers'],
    ]);
  });

  it('finds suffix keys through failure links', () => {
    const ac = new AhoCorasick(['so y te', 'y te', 'ubnd', 'ubnd tinh']);
    expect(scan(ac, 'so y te va ubnd tinh')).toEqual([
      [0, 'so y te'],
      [3, 'y te'],
      [11, 'ubnd'],
      [11, 'ubnd tinh'],
    ]);
  });

  it('restarts from the root on characters no key uses', () => {
    const ac = new AhoCorasick(['tn&mt']);
    expect(scan(ac, 'tn&m!tn&mt')).toEqual([[5, 'tn&mt']]);
    expect(ac.symbols['!'.charCodeAt(0)]).toBe(0);
  });

  it('rejects duplicate keys', () => {
    expect(() => new AhoCorasick(['a', 'a'])).toThrow(/duplicate/);
  });
});
