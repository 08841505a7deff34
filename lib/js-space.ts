/**
 * `\s` of JavaScript regular expressions (WhiteSpace and LineTerminator) on one UTF-16 code unit, for hot
 * loops that scan text without building regex matches or copies.
 */
export const isJsSpace = (c: number): boolean =>
  c === 0x20 ||
  (c >= 0x09 && c <= 0x0d) ||
  (c >= 0xa0 &&
    (c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000 ||
      c === 0xfeff));
