/**
 * zod schemas for everything the agency registry reads and writes:
 * - the admin-units inputs (../shared/data/admin-units/*.json),
 * - the curated YAML in pipeline/agencies/curated/,
 * - the registry data files in pipeline/agencies/data/ (what loadRegistry() validates).
 * `parseOrThrow` reports the file and the field path of every problem.
 */
import { z } from 'zod';

export const Period = z.enum(['pre2025', '2025']);
export type Period = z.infer<typeof Period>;
export const Level = z.enum(['province', 'district', 'commune']);
export type Level = z.infer<typeof Level>;

const Code2 = z.string().regex(/^\d{2}$/);
const Code3 = z.string().regex(/^\d{3}$/);
const Code5 = z.string().regex(/^\d{5}$/);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Validate `data` with `schema`; on failure throw one error naming the file and each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const lines = r.error.issues
    .slice(0, 20)
    .map((i) => `  ${file}: ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  const more = r.error.issues.length > 20 ? `\n  … and ${r.error.issues.length - 20} more` : '';
  throw new Error(`invalid data in ${file}:\n${lines.join('\n')}${more}`);
}

// ---------------------------------------------------------------- admin-units inputs

export const ProvinceIn = z.object({
  code: Code2,
  name: z.string().min(1),
  type: z.enum(['tỉnh', 'thành phố trung ương']),
  fullName: z.string().min(1),
  aliases: z.array(z.string()).optional(),
});
export const DistrictIn = z.object({
  code: Code3,
  name: z.string().min(1),
  type: z.enum(['huyện', 'quận', 'thị xã', 'thành phố thuộc tỉnh', 'thành phố thuộc thành phố trung ương']),
  fullName: z.string().min(1),
  provinceCode: Code2,
  inFinalPre2025List: z.boolean(),
  listed: z.tuple([IsoDate, IsoDate]),
  aliases: z.array(z.string()).optional(),
});
export const CommunePreIn = z.object({
  code: Code5,
  name: z.string().min(1),
  type: z.enum(['xã', 'phường', 'thị trấn']),
  fullName: z.string().min(1),
  districtCode: Code3,
  provinceCode: Code2,
  inFinalPre2025List: z.boolean(),
  listed: z.tuple([IsoDate, IsoDate]),
  formerDistrictCodes: z.array(Code3).optional(),
  aliases: z.array(z.string()).optional(),
});
export const Commune2025In = z.object({
  code: Code5,
  name: z.string().min(1),
  type: z.enum(['xã', 'phường', 'đặc khu']),
  fullName: z.string().min(1),
  provinceCode: Code2,
});
export const ChangeIn = z.object({
  level: z.enum(['province', 'commune']),
  code: z.string(),
  provinceCode: Code2.optional(),
  before: z.string(),
  beforeType: z.string(),
  after: z.string(),
  afterType: z.string(),
  effective: IsoDate,
  basis: z.string(),
});
const SuccessorIn = z.object({ code: Code5, fullName: z.string(), provinceCode: Code2.optional() }).loose();
export const SuccessionIn = z
  .object({
    provinces: z.array(z.object({ oldCode: Code2, newCode: Code2 }).loose()),
    districts: z.array(
      z
        .object({
          oldCode: Code3,
          oldProvinceCode: Code2,
          newProvinceCodes: z.array(Code2),
          successors: z.array(SuccessorIn),
        })
        .loose(),
    ),
    communes: z.array(
      z.object({ oldCode: Code5, oldProvinceCode: Code2, successors: z.array(SuccessorIn) }).loose(),
    ),
    newCommunes: z.array(
      z
        .object({
          code: Code5,
          provinceCode: Code2,
          predecessors: z.array(
            z
              .object({
                oldCode: z.string().regex(/^\d{3}(\d{2})?$/),
                oldLevel: z.enum(['district', 'commune']).optional(),
              })
              .loose(),
          ),
        })
        .loose(),
    ),
  })
  .loose();

// ---------------------------------------------------------------- curated YAML

const Availability = z.union([
  z.string().min(1),
  z.object({ list: z.string().min(1), validFrom: IsoDate.optional() }),
]);

export const CuratedType = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  short: z.string(),
  naming: z.enum(['place', 'party']).default('place'),
  periods: z.object({ pre2025: Availability.optional(), '2025': Availability.optional() }),
  heads: z.array(z.string().min(1)).min(1),
  abbr: z.array(z.string().min(1)).default([]),
  symbols: z.array(z.string().min(1)).default([]),
  bare: z.union([z.boolean(), z.literal('unresolved')]),
  lowerLevels: z.boolean().default(false),
  levelHeads: z.array(z.string().min(1)).default([]),
  successors: z.array(z.string()).optional(),
  fallback: z.array(z.string()).default([]),
  altNames: z.record(z.string(), z.object({ name: z.string(), short: z.string() })).default({}),
});
export type CuratedType = z.infer<typeof CuratedType>;
export const AgencyTypesYaml = z.object({ types: z.array(CuratedType).min(1) });

const ListEntry = z.union([
  z.object({
    province: Code2,
    name: z.string().optional(),
    heads: z.array(z.string()).default([]),
    uncertain: z.boolean().default(false),
    note: z.string().optional(),
  }),
  z.object({ derive: z.literal('any-predecessor') }),
]);
export type ListEntry = z.infer<typeof ListEntry>;
export const SpecialAgenciesYaml = z.object({
  lists: z.record(
    z.string(),
    z.object({
      confidence: z.enum(['H', 'M', 'L']),
      pre2025: z.array(ListEntry).optional(),
      '2025': z.array(ListEntry).optional(),
    }),
  ),
  overrides: z.array(
    z.object({
      type: z.string(),
      province: Code2,
      periods: z.array(Period).min(1),
      name: z.string(),
      heads: z.array(z.string()).default([]),
    }),
  ),
});
export type SpecialAgenciesYaml = z.infer<typeof SpecialAgenciesYaml>;

const NameValidity = z.object({
  period: Period,
  level: Level,
  code: z.string(),
  name: z.string(),
  cue: z.enum(['province', 'city']).optional(),
  validFrom: IsoDate.optional(),
  validTo: IsoDate.optional(),
});
export const PlacesYaml = z.object({
  provinceAliases: z.object({
    pre2025: z.record(Code2, z.array(z.string().min(1))),
    '2025': z.record(Code2, z.array(z.string().min(1))),
  }),
  weakNames: z.array(z.string().min(1)),
  datelineCodes: z.record(z.string(), z.string()),
  nameValidity: z.array(NameValidity),
});
export type PlacesYaml = z.infer<typeof PlacesYaml>;

export const LevelWord = z.object({
  level: z.enum(['province', 'city', 'district', 'commune']),
  forms: z.array(z.string().min(1)).min(1),
  unitTypes: z.array(z.string().min(1)).min(1),
  /** Abbreviations ("H.", "P."): a level word only when a unit name follows. */
  needsName: z.boolean().default(false),
});
export type LevelWord = z.infer<typeof LevelWord>;
const AbbrJoiners = z.object({ '&': z.array(z.string()).min(1), '-': z.array(z.string()).min(1) });
export const LexiconYaml = z.object({
  abbrJoiners: AbbrJoiners,
  levelWords: z.array(LevelWord).min(1),
  lookalikes: z.array(z.string().min(1)),
  blockedAfter: z.array(z.string().min(1)),
  blockedAfterExceptions: z.array(z.string().min(1)),
  pluralBefore: z.array(z.string().min(1)),
  pluralAfter: z.array(z.string().min(1)),
  historicMarkers: z.array(z.string().min(1)),
  locatives: z.array(z.string().min(1)),
  creditWords: z.array(z.string().min(1)),
  countWords: z.record(z.string(), z.number().int().min(2)),
  sameLevel: z.array(z.string().min(1)),
  subjectTitles: z.array(z.string().min(1)),
});

// ---------------------------------------------------------------- registry data files (build output)

export const NameChange = z.object({ validTo: IsoDate, type: z.string(), fullName: z.string() });

export const ProvinceRec = z.object({
  period: Period,
  code: Code2,
  name: z.string(),
  type: z.enum(['tỉnh', 'thành phố trung ương']),
  fullName: z.string(),
  /** Other bare names (without "tỉnh"/"thành phố"): source aliases + curated spellings. */
  aliases: z.array(z.string()),
  /** pre2025 → the 2025 province it went into. */
  successor: Code2.optional(),
  /** 2025 → the pre2025 provinces it was formed from. */
  predecessors: z.array(Code2).optional(),
  /** Earlier type/name in the same period (Đồng Nai was a tỉnh until 2026-04-29). */
  history: z.array(NameChange).optional(),
});
export type ProvinceRec = z.infer<typeof ProvinceRec>;

/** A district or commune as used in memory (places.json stores rows without period/level, see PlacesFile). */
export const PlaceRec = z.object({
  period: Period,
  level: z.enum(['district', 'commune']),
  code: z.string().regex(/^\d{3}(\d{2})?$/),
  name: z.string(),
  type: z.string(),
  province: Code2,
  district: Code3.optional(),
  /** Earlier names of the same code, as [type, name]. */
  aliases: z.array(z.tuple([z.string(), z.string()])).optional(),
  validFrom: IsoDate.optional(),
  /** Absent for pre2025 units in the final list: they end with the period (2025-06-30). */
  validTo: IsoDate.optional(),
  history: z.array(NameChange).optional(),
  /** 2025 communes: the pre2025 provinces of their predecessors. */
  fromProvinces: z.array(Code2).optional(),
});
export type PlaceRec = z.infer<typeof PlaceRec>;

/**
 * places.json stores one district/commune per string row (parsing 15k strings checked by one regex each is
 * several times faster than 15k objects), in three arrays: districts, communesPre2025, communes2025.
 *
 *   code|type|name|province|district|validFrom|validTo|aliases|history|fromProvinces
 *   30853|xã|Tân Hội|91|904||||||
 *   25270|phường|Lộc Ninh|75||||| 2026-04-29>xã>Xã Lộc Ninh|70
 *
 * aliases: "type:name" joined by ";"; history: "validTo>type>fullName" joined by ";"; fromProvinces: "70,75".
 * Empty validFrom: listed since the first snapshot (2021-11-01) or earlier; empty validTo (pre2025): in the
 * final list, so valid to the end of the period.
 */
const D = String.raw`\d{4}-\d{2}-\d{2}`;
const F = String.raw`[^|:;>]+`;
export const PLACE_ROW_FORMAT =
  'code|type|name|province|district|validFrom|validTo|aliases|history|fromProvinces';
export const PLACE_ROW = new RegExp(
  String.raw`^(\d{3}|\d{5})\|(${F})\|(${F})\|(\d{2})\|(\d{3})?\|(${D})?\|(${D})?\|((?:${F}:${F})(?:;${F}:${F})*)?\|((?:${D}>${F}>${F})(?:;${D}>${F}>${F})*)?\|(\d{2}(?:,\d{2})*)?$`,
);
const PlaceRowString = z.string().regex(PLACE_ROW, 'not a place row: ' + PLACE_ROW_FORMAT);
export const PlacesFile = z.object({
  format: z.literal(PLACE_ROW_FORMAT),
  districts: z.array(PlaceRowString),
  communesPre2025: z.array(PlaceRowString),
  communes2025: z.array(PlaceRowString),
});
export type PlacesFile = z.infer<typeof PlacesFile>;

export function placeToRow(p: PlaceRec): string {
  return [
    p.code,
    p.type,
    p.name,
    p.province,
    p.district ?? '',
    p.validFrom ?? '',
    p.validTo ?? '',
    (p.aliases ?? []).map(([t, n]) => `${t}:${n}`).join(';'),
    (p.history ?? []).map((h) => `${h.validTo}>${h.type}>${h.fullName}`).join(';'),
    (p.fromProvinces ?? []).join(','),
  ].join('|');
}

export function rowToPlace(row: string, period: Period, level: 'district' | 'commune'): PlaceRec {
  const m = PLACE_ROW.exec(row)!;
  const p: PlaceRec = { period, level, code: m[1]!, name: m[3]!, type: m[2]!, province: m[4]! };
  if (m[5]) p.district = m[5];
  if (m[6]) p.validFrom = m[6];
  if (m[7]) p.validTo = m[7];
  if (m[8]) p.aliases = m[8].split(';').map((a) => a.split(':') as [string, string]);
  if (m[9]) {
    p.history = m[9].split(';').map((h) => {
      const [validTo, type, fullName] = h.split('>') as [string, string, string];
      return { validTo, type, fullName };
    });
  }
  if (m[10]) p.fromProvinces = m[10].split(',');
  return p;
}

/**
 * agencies-district.json / agencies-commune-*.json: the UBND of each district/commune unit, one string row
 * "id|successor,successor|basis". Name, level, province, codes and validity come from the unit with the same
 * code and period in places.json. basis "district": successors found via the district (commune dissolved
 * before 2025 without an official mapping).
 */
export const UBND_ROW =
  /^((?:pre2025|2025)-[dc]\d{3}(?:\d{2})?-ubnd)\|((?:2025-(?:c\d{5}|\d{2})-[a-z0-9-]+)(?:,2025-(?:c\d{5}|\d{2})-[a-z0-9-]+)*)?\|(district)?$/;
export const UbndRow = z.string().regex(UBND_ROW, 'not a UBND row: id|successors|basis');
export const UbndFile = z.array(UbndRow);

export const AgencyRec = z.object({
  id: z.string().regex(/^(pre2025|2025)-(\d{2}|d\d{3}|c\d{5})-[a-z0-9-]+$/),
  name: z.string().min(1),
  shortName: z.string().optional(),
  level: Level,
  type: z.string(),
  period: Period,
  province: Code2,
  district: Code3.optional(),
  commune: Code5.optional(),
  validFrom: IsoDate.nullable(),
  validTo: IsoDate.nullable(),
  successors: z.array(z.string()),
  /** How successors were found when not from the official mapping ("district": via the district). */
  successorBasis: z.enum(['district']).optional(),
  uncertain: z.boolean().optional(),
  nameHistory: z.array(z.object({ name: z.string(), validTo: IsoDate })).optional(),
});
export type AgencyRec = z.infer<typeof AgencyRec>;

export const LexType = z.object({
  slug: z.string(),
  name: z.string(),
  short: z.string(),
  naming: z.enum(['place', 'party']),
  periods: z.array(Period),
  heads: z.array(z.string()),
  abbr: z.array(z.string()),
  symbols: z.array(z.string()),
  bare: z.union([z.boolean(), z.literal('unresolved')]),
  lowerLevels: z.boolean(),
  levelHeads: z.array(z.string()),
});
export type LexType = z.infer<typeof LexType>;

export const FixedHead = z.object({ phrase: z.string(), type: z.string(), province: Code2, period: Period });
export type FixedHead = z.infer<typeof FixedHead>;

export const Lexicon = z.object({
  types: z.array(LexType),
  fixedHeads: z.array(FixedHead),
  abbrJoiners: AbbrJoiners,
  levelWords: z.array(LevelWord),
  lookalikes: z.array(z.string()),
  blockedAfter: z.array(z.string()),
  blockedAfterExceptions: z.array(z.string()),
  pluralBefore: z.array(z.string()),
  pluralAfter: z.array(z.string()),
  historicMarkers: z.array(z.string()),
  locatives: z.array(z.string()),
  creditWords: z.array(z.string()),
  countWords: z.record(z.string(), z.number().int()),
  sameLevel: z.array(z.string()),
  subjectTitles: z.array(z.string()),
  weakNames: z.array(z.string()),
  datelineCodes: z.record(z.string(), z.string()),
  nameValidity: z.array(NameValidity),
});
export type Lexicon = z.infer<typeof Lexicon>;

export const Meta = z.object({
  schemaVersion: z.literal(1),
  /** sha256 of every input file, so a stale registry can be detected. */
  inputs: z.record(z.string(), z.string()),
  counts: z.record(z.string(), z.number().int()),
  files: z.array(z.string()),
});
export type Meta = z.infer<typeof Meta>;

export const DATA_FILES = {
  meta: 'meta.json',
  lexicon: 'lexicon.json',
  provinces: 'provinces.json',
  places: 'places.json',
  agenciesProvince: 'agencies-province.json',
  agenciesDistrict: 'agencies-district.json',
  agenciesCommunePre2025: 'agencies-commune-pre2025.json',
  agenciesCommune2025: 'agencies-commune-2025.json',
} as const;
