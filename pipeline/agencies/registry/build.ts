/**
 * Build the agency registry data files from the admin-units data and the curated YAML.
 *
 *   npx tsx pipeline/agencies/registry/build.ts [--admin-units ../shared/data/admin-units] [--out pipeline/agencies/data]
 *
 * Output is reproducible: records sorted by id/code, one JSON record per line, no timestamps; a second run
 * writes byte-identical files. Ids follow ../ID-SCHEME.md.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { log } from '../../../lib/log.ts';
import {
  DEFAULT_ADMIN_UNITS_DIR,
  DEFAULT_CURATED_DIR,
  DEFAULT_DATA_DIR,
  PRE2025_END,
  REFORM_DATE,
  agencyNames,
  canonicalDistrictType,
  splitFullName,
  typeLabel,
} from './common.ts';
import {
  AgencyTypesYaml,
  ChangeIn,
  Commune2025In,
  CommunePreIn,
  DATA_FILES,
  DistrictIn,
  LexiconYaml,
  PlacesYaml,
  ProvinceIn,
  SpecialAgenciesYaml,
  SuccessionIn,
  parseOrThrow,
  type AgencyRec,
  type CuratedType,
  type FixedHead,
  type Lexicon,
  type ListEntry,
  type Meta,
  type Period,
  type PlaceRec,
  type ProvinceRec,
  PLACE_ROW,
  PLACE_ROW_FORMAT,
  UBND_ROW,
  placeToRow,
} from './schema.ts';

const FIRST_SNAPSHOT = '2021-11-01';

export interface BuildOptions {
  adminUnitsDir: string;
  outDir: string;
  curatedDir?: string;
}
export interface BuildResult {
  files: Array<{ name: string; bytes: number }>;
  counts: Record<string, number>;
}

interface Inputs {
  hashes: Record<string, string>;
  read(dir: string, name: string): unknown;
}

function makeInputs(): Inputs {
  const hashes: Record<string, string> = {};
  return {
    hashes,
    read(dir, name) {
      const path = join(dir, name);
      const text = readFileSync(path, 'utf8');
      let data: unknown;
      try {
        data = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      } catch (e) {
        throw new Error(`cannot parse ${path}: ${(e as Error).message}`);
      }
      // hash of the content, not the bytes: reformatting a YAML file does not make the registry stale
      hashes[name] = createHash('sha256').update(JSON.stringify(data)).digest('hex');
      return data;
    },
  };
}

function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function byKey<T>(key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

function jsonLines(records: unknown[]): string {
  return records.length === 0 ? '[]\n' : `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

/** places.json: three arrays of string rows (see PLACE_ROW_FORMAT), one row per line. */
function placesFile(places: PlaceRec[]): string {
  for (const p of places) {
    for (const v of [
      p.name,
      p.type,
      ...(p.aliases ?? []).flat(),
      ...(p.history ?? []).flatMap((h) => [h.type, h.fullName]),
    ]) {
      if (/[|:;>]/.test(v))
        throw new Error(`place ${p.period} ${p.code}: "${v}" contains a row separator (| : ; >)`);
    }
  }
  const part = (name: string, rows: PlaceRec[]): string => {
    const strings = rows.map(placeToRow);
    for (const r of strings) if (!PLACE_ROW.test(r)) throw new Error(`bad place row ${r}`);
    return `"${name}": ${jsonLines(strings).trimEnd()}`;
  };
  return `{\n"format": ${JSON.stringify(PLACE_ROW_FORMAT)},\n${[
    part(
      'districts',
      places.filter((p) => p.level === 'district'),
    ),
    part(
      'communesPre2025',
      places.filter((p) => p.period === 'pre2025' && p.level === 'commune'),
    ),
    part(
      'communes2025',
      places.filter((p) => p.period === '2025'),
    ),
  ].join(',\n')}\n}\n`;
}

function ubndRow(a: AgencyRec): string {
  const row = `${a.id}|${a.successors.join(',')}|${a.successorBasis ?? ''}`;
  if (!UBND_ROW.test(row)) throw new Error(`bad UBND row ${row}`);
  return row;
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function buildRegistry(opts: BuildOptions): BuildResult {
  const t0 = performance.now();
  const adminDir = opts.adminUnitsDir;
  const curatedDir = opts.curatedDir ?? DEFAULT_CURATED_DIR;
  const inp = makeInputs();

  // ---- inputs, validated (errors name the file as the source data names it)
  const admin = <S extends z.ZodType>(schema: S, name: string): z.output<S> => parseOrThrow(schema, inp.read(adminDir, name), name);
  const curated = <S extends z.ZodType>(schema: S, name: string): z.output<S> =>
    parseOrThrow(schema, inp.read(curatedDir, name), `curated/${name}`);
  const provPre = admin(z.array(ProvinceIn), 'provinces-pre2025.json');
  const prov25 = admin(z.array(ProvinceIn), 'provinces-2025.json');
  const districts = admin(z.array(DistrictIn), 'districts-pre2025.json');
  const communesPre = admin(z.array(CommunePreIn), 'communes-pre2025.json');
  const communes25 = admin(z.array(Commune2025In), 'communes-2025.json');
  const changes = admin(z.array(ChangeIn), 'changes-after-2025-07-01.json');
  const succession = admin(SuccessionIn, 'succession.json');
  const typesY = curated(AgencyTypesYaml, 'agency-types.yaml');
  const specialY = curated(SpecialAgenciesYaml, 'special-agencies.yaml');
  const placesY = curated(PlacesYaml, 'places.yaml');
  const lexY = curated(LexiconYaml, 'lexicon.yaml');

  // ---- provinces
  const provSucc = new Map(succession.provinces.map((p) => [p.oldCode, p.newCode]));
  const provPred = new Map<string, string[]>();
  for (const [o, n] of provSucc) provPred.set(n, [...(provPred.get(n) ?? []), o].sort());

  const provinces: ProvinceRec[] = [];
  for (const [period, list] of [
    ['pre2025', provPre],
    ['2025', prov25],
  ] as const) {
    for (const p of list) {
      const aliases = uniq([
        ...(p.aliases ?? []).map((a) => splitFullName(a)[1]),
        ...(placesY.provinceAliases[period][p.code] ?? []),
      ]).filter((a) => a !== p.name);
      const rec: ProvinceRec = {
        period,
        code: p.code,
        name: p.name,
        type: p.type,
        fullName: p.fullName,
        aliases,
      };
      if (period === 'pre2025') {
        const s = provSucc.get(p.code);
        if (!s) throw new Error(`succession.json: provinces: no successor for pre2025 province ${p.code}`);
        rec.successor = s;
      } else {
        rec.predecessors = provPred.get(p.code) ?? [];
      }
      provinces.push(rec);
    }
  }
  const provIndex = new Map(provinces.map((p) => [`${p.period}-${p.code}`, p]));
  const prov = (period: Period, code: string): ProvinceRec => {
    const p = provIndex.get(`${period}-${code}`);
    if (!p) throw new Error(`unknown ${period} province ${code}`);
    return p;
  };
  for (const c of changes.filter((x) => x.level === 'province')) {
    const p = prov('2025', c.code);
    p.history = [{ validTo: dayBefore(c.effective), type: c.beforeType, fullName: c.before }];
    p.type = c.afterType as ProvinceRec['type'];
    p.fullName = c.after;
  }
  provinces.sort(byKey((p) => `${p.period === 'pre2025' ? 0 : 1}-${p.code}`));

  // ---- places (districts, communes)
  const places: PlaceRec[] = [];
  const unitValidity = (
    listed: [string, string],
    inFinal: boolean,
  ): { validFrom?: string; validTo?: string } => {
    const r: { validFrom?: string; validTo?: string } = {};
    if (listed[0] !== FIRST_SNAPSHOT) r.validFrom = listed[0];
    if (!inFinal) r.validTo = listed[1];
    return r;
  };
  for (const d of districts) {
    const rec: PlaceRec = {
      period: 'pre2025',
      level: 'district',
      code: d.code,
      name: d.name,
      type: d.type,
      province: d.provinceCode,
    };
    const aliases = (d.aliases ?? []).map((a) => {
      const [t, n] = splitFullName(a);
      return [canonicalDistrictType(t), n] as [string, string];
    });
    if (aliases.length) rec.aliases = aliases;
    Object.assign(rec, unitValidity(d.listed, d.inFinalPre2025List));
    places.push(rec);
  }
  const preCommuneProvince = new Map<string, string>();
  for (const d of districts) preCommuneProvince.set(`d${d.code}`, d.provinceCode);
  for (const c of communesPre) {
    preCommuneProvince.set(c.code, c.provinceCode);
    const rec: PlaceRec = {
      period: 'pre2025',
      level: 'commune',
      code: c.code,
      name: c.name,
      type: c.type,
      province: c.provinceCode,
      district: c.districtCode,
    };
    const aliases = (c.aliases ?? []).map((a) => splitFullName(a));
    if (aliases.length) rec.aliases = aliases;
    Object.assign(rec, unitValidity(c.listed, c.inFinalPre2025List));
    places.push(rec);
  }
  const newCommunePred = new Map(
    succession.newCommunes.map((n) => [
      n.code,
      n.predecessors.map((p) => (p.oldLevel === 'district' ? `d${p.oldCode}` : p.oldCode)),
    ]),
  );
  const communeChanges = new Map(changes.filter((c) => c.level === 'commune').map((c) => [c.code, c]));
  for (const c of communes25) {
    const rec: PlaceRec = {
      period: '2025',
      level: 'commune',
      code: c.code,
      name: c.name,
      type: c.type,
      province: c.provinceCode,
    };
    const ch = communeChanges.get(c.code);
    if (ch) {
      rec.type = ch.afterType;
      rec.history = [{ validTo: dayBefore(ch.effective), type: ch.beforeType, fullName: ch.before }];
    }
    const from = uniq(
      (newCommunePred.get(c.code) ?? [])
        .map((o) => preCommuneProvince.get(o))
        .filter((x): x is string => !!x),
    ).sort();
    if (from.length) rec.fromProvinces = from;
    places.push(rec);
  }
  places.sort(byKey((p) => `${p.period === 'pre2025' ? 0 : 1}-${p.level === 'district' ? 0 : 1}-${p.code}`));

  // ---- lists of special agencies
  const listCache = new Map<string, Map<string, Extract<ListEntry, { province: string }>>>();
  const listEntries = (
    listName: string,
    period: Period,
  ): Map<string, Extract<ListEntry, { province: string }>> => {
    const cached = listCache.get(`${listName}|${period}`);
    if (cached) return cached;
    const out = new Map<string, Extract<ListEntry, { province: string }>>();
    if (listName === 'all') {
      for (const p of provinces.filter((x) => x.period === period))
        out.set(p.code, { province: p.code, heads: [], uncertain: false });
      listCache.set(`${listName}|${period}`, out);
      return out;
    }
    const list = specialY.lists[listName];
    if (!list)
      throw new Error(`curated/agency-types.yaml: unknown list "${listName}" (not in special-agencies.yaml)`);
    const entries = list[period] ?? [];
    for (const e of entries) {
      if ('derive' in e) {
        if (period !== '2025')
          throw new Error(`curated/special-agencies.yaml: lists.${listName}.${period}: derive only for 2025`);
        const pre = listEntries(listName, 'pre2025');
        for (const p of provinces.filter((x) => x.period === '2025')) {
          const had = (p.predecessors ?? []).filter((o) => pre.has(o));
          if (had.length === 0) continue;
          // One predecessor of the same name (an unmerged or absorbing province): keep its curated name.
          const same =
            had.length === 1 && prov('pre2025', had[0]!).name === p.name ? pre.get(had[0]!) : undefined;
          const derived: Extract<ListEntry, { province: string }> = {
            province: p.code,
            heads: [],
            uncertain: true,
            note: 'derived from pre-2025 provinces',
          };
          if (same?.name) derived.name = same.name;
          if (same && !same.uncertain && (p.predecessors ?? []).length === 1) derived.uncertain = false;
          out.set(p.code, derived);
        }
      }
    }
    for (const e of entries) {
      if ('province' in e) {
        if (!provinces.some((p) => p.period === period && p.code === e.province)) {
          throw new Error(
            `curated/special-agencies.yaml: lists.${listName}.${period}: unknown province ${e.province}`,
          );
        }
        out.set(e.province, e);
      }
    }
    listCache.set(`${listName}|${period}`, out);
    return out;
  };
  const typeBySlug = new Map(typesY.types.map((t) => [t.slug, t]));
  for (const t of typesY.types) {
    for (const s of [...(t.successors ?? []), ...t.fallback]) {
      if (!typeBySlug.has(s))
        throw new Error(`curated/agency-types.yaml: ${t.slug}: unknown successor/fallback type "${s}"`);
    }
  }

  // ---- province-level agencies
  const agencies = new Map<string, AgencyRec>();
  const fixedHeads: FixedHead[] = [];
  const overrides = specialY.overrides;
  const buildProvinceAgencies = (period: Period): void => {
    for (const t of typesY.types) {
      const avail = t.periods[period];
      if (!avail) continue;
      const listName = typeof avail === 'string' ? avail : avail.list;
      const validFromOverride = typeof avail === 'string' ? undefined : avail.validFrom;
      const entries = listEntries(listName, period);
      for (const [code, entry] of entries) {
        const p = prov(period, code);
        const ov = overrides.find(
          (o) => o.type === t.slug && o.province === code && o.periods.includes(period),
        );
        let base: { name: string; short: string } | undefined;
        for (const [altList, alt] of Object.entries(t.altNames)) {
          if (listEntries(altList, period).has(code)) base = alt;
        }
        const fixedName = entry.name ?? ov?.name;
        const names = fixedName
          ? { name: fixedName, shortName: fixedName }
          : agencyNames(t, p.type, p.name, base);
        const id = `${period}-${code}-${t.slug}`;
        const rec: AgencyRec = {
          id,
          name: names.name,
          shortName: names.shortName,
          level: 'province',
          type: t.slug,
          period,
          province: code,
          validFrom: validFromOverride ?? (period === '2025' ? REFORM_DATE : null),
          validTo: period === 'pre2025' ? PRE2025_END : null,
          successors: [],
        };
        if (entry.uncertain) rec.uncertain = true;
        if (p.history && !fixedName) {
          rec.nameHistory = p.history.map((h) => ({
            name: agencyNames(t, h.type, p.name, base).name,
            validTo: h.validTo,
          }));
        }
        agencies.set(id, rec);
        for (const phrase of [...entry.heads, ...(ov?.heads ?? [])])
          fixedHeads.push({ phrase, type: t.slug, province: code, period });
      }
    }
  };
  buildProvinceAgencies('2025');
  buildProvinceAgencies('pre2025');

  const successorsOfType = (t: CuratedType, newProv: string): string[] => {
    const primary = (t.successors ?? [t.slug])
      .map((s) => `2025-${newProv}-${s}`)
      .filter((id) => agencies.has(id));
    if (primary.length) return primary;
    const fb = t.fallback.map((s) => `2025-${newProv}-${s}`).filter((id) => agencies.has(id));
    if (fb.length) return fb.slice(0, 1);
    return [];
  };
  for (const a of agencies.values()) {
    if (a.period !== 'pre2025') continue;
    const t = typeBySlug.get(a.type)!;
    const np = prov('pre2025', a.province).successor!;
    a.successors = successorsOfType(t, np);
  }

  // ---- UBND of districts and communes
  const ubndName = (type: string, name: string): string => `Ủy ban nhân dân ${typeLabel(type)} ${name}`;
  const districtSucc = new Map(succession.districts.map((d) => [d.oldCode, d]));
  const communeSucc = new Map(succession.communes.map((c) => [c.oldCode, c]));
  const districtAgencies: AgencyRec[] = [];
  const communePreAgencies: AgencyRec[] = [];
  const commune25Agencies: AgencyRec[] = [];
  for (const pl of places) {
    if (pl.period === '2025') {
      const id = `2025-c${pl.code}-ubnd`;
      const rec: AgencyRec = {
        id,
        name: ubndName(pl.type, pl.name),
        level: 'commune',
        type: 'ubnd',
        period: '2025',
        province: pl.province,
        commune: pl.code,
        validFrom: REFORM_DATE,
        validTo: null,
        successors: [],
      };
      if (pl.history)
        rec.nameHistory = pl.history.map((h) => ({
          name: `Ủy ban nhân dân ${h.type} ${pl.name}`,
          validTo: h.validTo,
        }));
      commune25Agencies.push(rec);
    }
  }
  const commune25Ids = new Set(commune25Agencies.map((a) => a.id));
  const districtSuccIds = (code: string): string[] => {
    const d = districtSucc.get(code);
    if (!d) return [];
    const ids = d.successors.map((s) => `2025-c${s.code}-ubnd`).filter((id) => commune25Ids.has(id));
    return uniq([...ids, ...d.newProvinceCodes.map((p) => `2025-${p}-ubnd-tinh`)]);
  };
  for (const pl of places) {
    if (pl.period !== 'pre2025') continue;
    if (pl.level === 'district') {
      districtAgencies.push({
        id: `pre2025-d${pl.code}-ubnd`,
        name: ubndName(pl.type, pl.name),
        level: 'district',
        type: 'ubnd',
        period: 'pre2025',
        province: pl.province,
        district: pl.code,
        validFrom: pl.validFrom ?? null,
        validTo: pl.validTo ?? PRE2025_END,
        successors: districtSuccIds(pl.code),
      });
    } else {
      const s = communeSucc.get(pl.code);
      const rec: AgencyRec = {
        id: `pre2025-c${pl.code}-ubnd`,
        name: ubndName(pl.type, pl.name),
        level: 'commune',
        type: 'ubnd',
        period: 'pre2025',
        province: pl.province,
        district: pl.district!,
        commune: pl.code,
        validFrom: pl.validFrom ?? null,
        validTo: pl.validTo ?? PRE2025_END,
        successors: [],
      };
      if (s && s.successors.length) {
        rec.successors = uniq(s.successors.map((x) => `2025-c${x.code}-ubnd`)).filter((id) =>
          commune25Ids.has(id),
        );
      } else {
        rec.successors = districtSuccIds(pl.district!).filter((id) => id.includes('-c'));
        rec.successorBasis = 'district';
      }
      communePreAgencies.push(rec);
    }
  }

  // ---- lexicon
  const lexicon: Lexicon = {
    types: typesY.types.map((t) => ({
      slug: t.slug,
      name: t.name,
      short: t.short,
      naming: t.naming,
      periods: (['pre2025', '2025'] as const).filter((p) => t.periods[p] !== undefined),
      heads: t.heads,
      abbr: t.abbr,
      symbols: t.symbols,
      bare: t.bare,
      lowerLevels: t.lowerLevels,
      levelHeads: t.levelHeads,
    })),
    fixedHeads: fixedHeads.sort(byKey((f) => `${f.period}|${f.province}|${f.type}|${f.phrase}`)),
    abbrJoiners: lexY.abbrJoiners,
    levelWords: lexY.levelWords,
    lookalikes: lexY.lookalikes,
    blockedAfter: lexY.blockedAfter,
    blockedAfterExceptions: lexY.blockedAfterExceptions,
    pluralBefore: lexY.pluralBefore,
    pluralAfter: lexY.pluralAfter,
    historicMarkers: lexY.historicMarkers,
    locatives: lexY.locatives,
    creditWords: lexY.creditWords,
    countWords: lexY.countWords,
    sameLevel: lexY.sameLevel,
    subjectTitles: lexY.subjectTitles,
    weakNames: placesY.weakNames,
    datelineCodes: placesY.datelineCodes,
    nameValidity: placesY.nameValidity,
  };

  // ---- write
  const provinceAgencies = [...agencies.values()].sort(byKey((a) => a.id));
  const clean = (a: AgencyRec): AgencyRec => JSON.parse(JSON.stringify(a)) as AgencyRec;
  const outputs: Array<[string, string]> = [
    [DATA_FILES.lexicon, JSON.stringify(lexicon, null, 1) + '\n'],
    [DATA_FILES.provinces, jsonLines(provinces)],
    [DATA_FILES.places, placesFile(places)],
    [DATA_FILES.agenciesProvince, jsonLines(provinceAgencies.map(clean))],
    [DATA_FILES.agenciesDistrict, jsonLines(districtAgencies.sort(byKey((a) => a.id)).map(ubndRow))],
    [DATA_FILES.agenciesCommunePre2025, jsonLines(communePreAgencies.sort(byKey((a) => a.id)).map(ubndRow))],
    [DATA_FILES.agenciesCommune2025, jsonLines(commune25Agencies.sort(byKey((a) => a.id)).map(ubndRow))],
  ];
  const counts: Record<string, number> = {
    provincesPre2025: provinces.filter((p) => p.period === 'pre2025').length,
    provinces2025: provinces.filter((p) => p.period === '2025').length,
    agenciesProvincePre2025: provinceAgencies.filter((a) => a.period === 'pre2025').length,
    agenciesProvince2025: provinceAgencies.filter((a) => a.period === '2025').length,
    agenciesDistrict: districtAgencies.length,
    agenciesCommunePre2025: communePreAgencies.length,
    agenciesCommune2025: commune25Agencies.length,
    places: places.length,
    fixedHeads: fixedHeads.length,
  };
  counts.agenciesTotal =
    counts.agenciesProvincePre2025! +
    counts.agenciesProvince2025! +
    counts.agenciesDistrict! +
    counts.agenciesCommunePre2025! +
    counts.agenciesCommune2025!;
  const meta: Meta = {
    schemaVersion: 1,
    inputs: Object.fromEntries(Object.entries(inp.hashes).sort(([a], [b]) => (a < b ? -1 : 1))),
    counts,
    files: outputs.map(([n]) => n).sort(),
  };
  outputs.push([DATA_FILES.meta, JSON.stringify(meta, null, 1) + '\n']);

  mkdirSync(opts.outDir, { recursive: true });
  const files: BuildResult['files'] = [];
  for (const [name, text] of outputs) {
    const bytes = Buffer.byteLength(text);
    if (bytes > 4 * 1024 * 1024) throw new Error(`${name} would be ${bytes} bytes (> 4 MB); split it`);
    writeFileSync(join(opts.outDir, name), text);
    files.push({ name, bytes });
  }
  log.info({ outDir: opts.outDir, counts, ms: Math.round(performance.now() - t0) }, 'agency registry built');
  return { files, counts };
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const adminUnitsDir = resolve(argValue(args, '--admin-units') ?? DEFAULT_ADMIN_UNITS_DIR);
  const outDir = resolve(argValue(args, '--out') ?? DEFAULT_DATA_DIR);
  const curatedDir = resolve(argValue(args, '--curated') ?? DEFAULT_CURATED_DIR);
  try {
    const r = buildRegistry({ adminUnitsDir, outDir, curatedDir });
    const total = r.files.reduce((s, f) => s + f.bytes, 0);
    process.stdout.write(
      `${r.files.map((f) => `${f.name}\t${f.bytes}`).join('\n')}\ntotal\t${total}\n${JSON.stringify(r.counts)}\n`,
    );
  } catch (e) {
    log.error({ err: (e as Error).message }, 'agency registry build failed');
    process.exitCode = 1;
  }
}
