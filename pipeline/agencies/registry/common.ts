/** Paths, dates and naming helpers shared by the registry build, the loader and the linker. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_ADMIN_UNITS_DIR = resolve(HERE, '../../../../shared/data/admin-units');
export const DEFAULT_DATA_DIR = resolve(HERE, '../data');
export const DEFAULT_CURATED_DIR = resolve(HERE, '../curated');

/** Last day of the pre-reform period; first day of the 2025 period. */
export const PRE2025_END = '2025-06-30';
export const REFORM_DATE = '2025-07-01';

const TYPE_PREFIXES: Array<[string, string]> = [
  ['Thành phố', 'thành phố'],
  ['Thị xã', 'thị xã'],
  ['Thị trấn', 'thị trấn'],
  ['Đặc khu', 'đặc khu'],
  ['Huyện', 'huyện'],
  ['Quận', 'quận'],
  ['Phường', 'phường'],
  ['Tỉnh', 'tỉnh'],
  ['Xã', 'xã'],
];
/** "Thị xã Việt Yên" → ["thị xã", "Việt Yên"]. */
export function splitFullName(fullName: string): [string, string] {
  for (const [prefix, type] of TYPE_PREFIXES) {
    if (fullName.startsWith(prefix + ' ')) return [type, fullName.slice(prefix.length + 1).trim()];
  }
  return ['', fullName];
}

/** The word the press puts before the name: "thành phố thuộc tỉnh" → "thành phố". */
export function typeLabel(type: string): string {
  if (type.startsWith('thành phố')) return 'thành phố';
  return type;
}

export function canonicalDistrictType(label: string): string {
  return label === 'thành phố' ? 'thành phố thuộc tỉnh' : label;
}

/** "tỉnh An Giang" / "thành phố Hà Nội". */
export function provincePlace(type: string, name: string): string {
  return `${type === 'tỉnh' ? 'tỉnh' : 'thành phố'} ${name}`;
}
export function provinceShortPlace(type: string, name: string): string {
  return `${type === 'tỉnh' ? 'tỉnh' : 'TP'} ${name}`;
}
export function partyWord(type: string): string {
  return type === 'tỉnh' ? 'Tỉnh ủy' : 'Thành ủy';
}

export function join2(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

export function agencyNames(
  t: { name: string; short: string; naming: 'place' | 'party' },
  provType: string,
  provName: string,
  alt?: { name: string; short: string },
): { name: string; shortName: string } {
  const base = alt?.name ?? t.name;
  const short = alt?.short ?? t.short;
  if (t.naming === 'party') {
    return {
      name: join2(base, partyWord(provType), provName),
      shortName: join2(short, partyWord(provType), provName),
    };
  }
  return {
    name: join2(base, provincePlace(provType, provName)),
    shortName: join2(short, provinceShortPlace(provType, provName)),
  };
}
