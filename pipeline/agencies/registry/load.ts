/**
 * Load the agency registry written by build.ts, validating every file with zod.
 *
 *   const reg = loadRegistry();            // pipeline/agencies/data
 *   reg.agency('2025-91-so-y-te')?.name    // "Sở Y tế tỉnh An Giang"
 *   reg.aliases('pre2025-91-so-tn-mt')     // "Sở TN&MT tỉnh Kiên Giang", "STNMT Kiên Giang", …
 *
 * Derived fields (shortName of districts/communes, provinceName, fullName) and alias strings are generated
 * here from the stored records and templates rather than stored.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { log } from '../../../lib/log.ts';
import { headPhrases } from './aliases.ts';
import { DEFAULT_DATA_DIR, typeLabel } from './common.ts';
import { PRE2025_END, REFORM_DATE } from './common.ts';
import {
  AgencyRec,
  DATA_FILES,
  Lexicon,
  Meta,
  PlacesFile,
  ProvinceRec,
  UbndFile,
  parseOrThrow,
  rowToPlace,
  type LexType,
  type Period,
  type PlaceRec,
} from './schema.ts';

export interface Agency extends AgencyRec {
  shortName: string;
  provinceName: string;
  /** Name with its parent units, unique across the registry ("Ủy ban nhân dân xã Tân Hội, huyện Tân Hiệp, tỉnh Kiên Giang"). */
  fullName: string;
}

export interface Registry {
  dir: string;
  meta: Meta;
  lexicon: Lexicon;
  provinces: ProvinceRec[];
  places: PlaceRec[];
  /** Every agency by id. District/commune UBND objects are built on first access. */
  agencies: ReadonlyMap<string, Agency>;
  /** Milliseconds spent reading, validating and indexing. */
  loadMs: number;
  province(period: Period, code: string): ProvinceRec | undefined;
  place(period: Period, level: 'district' | 'commune', code: string): PlaceRec | undefined;
  agency(id: string): Agency | undefined;
  lexType(slug: string): LexType | undefined;
  /** The agency's official name on a date (names changed, e.g. Đồng Nai became a thành phố on 2026-04-30). */
  nameAt(agency: Agency, date: string | null): string;
  /** Every alias string the linker recognises for this agency, generated from templates. */
  aliases(id: string): string[];
}

const cache = new Map<string, Registry>();

/** id → agency; the compact UBND rows are turned into objects on first access. */
class AgencyIndex implements ReadonlyMap<string, Agency> {
  private readonly done = new Map<string, Agency>();
  private readonly rows = new Map<string, [string, string]>();
  constructor(
    private readonly complete: (r: AgencyRec) => Agency,
    private readonly fromRow: (line: string, file: string) => AgencyRec,
  ) {}
  addRecord(r: AgencyRec): void {
    if (this.has(r.id)) throw new Error(`duplicate agency id ${r.id}`);
    this.done.set(r.id, this.complete(r));
  }
  addRow(line: string, file: string): void {
    const id = line.slice(0, line.indexOf('|'));
    if (this.has(id)) throw new Error(`${file}: duplicate agency id ${id}`);
    this.rows.set(id, [line, file]);
  }
  get size(): number {
    return this.done.size + this.rows.size;
  }
  has(id: string): boolean {
    return this.done.has(id) || this.rows.has(id);
  }
  get(id: string): Agency | undefined {
    const a = this.done.get(id);
    if (a) return a;
    const row = this.rows.get(id);
    if (!row) return undefined;
    const made = this.complete(this.fromRow(row[0], row[1]));
    this.rows.delete(id);
    this.done.set(id, made);
    return made;
  }
  *keys(): MapIterator<string> {
    yield* this.done.keys();
    yield* [...this.rows.keys()];
  }
  *values(): MapIterator<Agency> {
    for (const id of [...this.keys()]) yield this.get(id)!;
  }
  *entries(): MapIterator<[string, Agency]> {
    for (const id of [...this.keys()]) yield [id, this.get(id)!];
  }
  [Symbol.iterator](): MapIterator<[string, Agency]> {
    return this.entries();
  }
  forEach(cb: (value: Agency, key: string, map: ReadonlyMap<string, Agency>) => void): void {
    for (const [k, v] of this.entries()) cb(v, k, this);
  }
}

function readJson(dir: string, name: string): unknown {
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(
      `agency registry file missing: ${path} (run: npx tsx pipeline/agencies/registry/build.ts): ${(e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`cannot parse ${path}: ${(e as Error).message}`);
  }
}

/** Load (once per directory; pass `fresh` to re-read) and validate the registry. */
export function loadRegistry(dir: string = DEFAULT_DATA_DIR, opts: { fresh?: boolean } = {}): Registry {
  const abs = resolve(dir);
  const hit = cache.get(abs);
  if (hit && !opts.fresh) return hit;
  const t0 = performance.now();
  const meta = parseOrThrow(Meta, readJson(abs, DATA_FILES.meta), DATA_FILES.meta);
  const lexicon = parseOrThrow(Lexicon, readJson(abs, DATA_FILES.lexicon), DATA_FILES.lexicon);
  const provinces = parseOrThrow(
    z.array(ProvinceRec),
    readJson(abs, DATA_FILES.provinces),
    DATA_FILES.provinces,
  );
  const pf = parseOrThrow(PlacesFile, readJson(abs, DATA_FILES.places), DATA_FILES.places);
  const places: PlaceRec[] = [];
  for (const r of pf.districts) places.push(rowToPlace(r, 'pre2025', 'district'));
  for (const r of pf.communesPre2025) places.push(rowToPlace(r, 'pre2025', 'commune'));
  for (const r of pf.communes2025) places.push(rowToPlace(r, '2025', 'commune'));
  const records: AgencyRec[] = parseOrThrow(
    z.array(AgencyRec),
    readJson(abs, DATA_FILES.agenciesProvince),
    DATA_FILES.agenciesProvince,
  );
  const ubndFiles = [
    DATA_FILES.agenciesDistrict,
    DATA_FILES.agenciesCommunePre2025,
    DATA_FILES.agenciesCommune2025,
  ];
  const ubndRows: Array<[string, string]> = [];
  for (const f of ubndFiles)
    for (const r of parseOrThrow(UbndFile, readJson(abs, f), f)) ubndRows.push([r, f]);

  const provIndex = new Map(provinces.map((p) => [`${p.period}-${p.code}`, p]));
  const placeIndex = new Map(places.map((p) => [`${p.period}-${p.level}-${p.code}`, p]));
  const typeIndex = new Map(lexicon.types.map((t) => [t.slug, t]));
  const province = (period: Period, code: string): ProvinceRec | undefined =>
    provIndex.get(`${period}-${code}`);
  const place = (period: Period, level: 'district' | 'commune', code: string): PlaceRec | undefined =>
    placeIndex.get(`${period}-${level}-${code}`);

  const makeUbnd = (line: string, file: string): AgencyRec => {
    const [id, succ, basis] = line.split('|') as [string, string, string];
    const m = /^(pre2025|2025)-([dc])(\d+)-ubnd$/.exec(id)!;
    const period = m[1] as Period;
    const level = m[2] === 'd' ? 'district' : 'commune';
    const pl = place(period, level, m[3]!);
    if (!pl) throw new Error(`${file}: ${id}: no ${period} ${level} ${m[3]} in ${DATA_FILES.places}`);
    const rec: AgencyRec = {
      id,
      name: `Ủy ban nhân dân ${typeLabel(pl.type)} ${pl.name}`,
      level,
      type: 'ubnd',
      period,
      province: pl.province,
      validFrom: pl.validFrom ?? (period === '2025' ? REFORM_DATE : null),
      validTo: pl.validTo ?? (period === 'pre2025' ? PRE2025_END : null),
      successors: succ ? succ.split(',') : [],
    };
    if (level === 'district') rec.district = pl.code;
    else {
      if (pl.district) rec.district = pl.district;
      rec.commune = pl.code;
    }
    if (basis === 'district') rec.successorBasis = 'district';
    if (pl.history)
      rec.nameHistory = pl.history.map((h) => ({
        name: `Ủy ban nhân dân ${typeLabel(h.type)} ${pl.name}`,
        validTo: h.validTo,
      }));
    return rec;
  };

  const complete = (r: AgencyRec): Agency => {
    const p = province(r.period, r.province);
    if (!p) throw new Error(`agency ${r.id}: unknown ${r.period} province ${r.province}`);
    const provPlace = `${p.type === 'tỉnh' ? 'tỉnh' : 'thành phố'} ${p.name}`;
    let shortName = r.shortName ?? r.name;
    let fullName = r.name;
    if (r.level !== 'province') {
      const pl = place(r.period, r.level, (r.level === 'district' ? r.district : r.commune)!)!;
      shortName = `UBND ${typeLabel(pl.type)} ${pl.name}`;
      const parts = [r.name];
      if (r.level === 'commune' && r.district) {
        const d = place('pre2025', 'district', r.district);
        if (d) parts.push(`${typeLabel(d.type)} ${d.name}`);
      }
      parts.push(provPlace);
      fullName = parts.join(', ');
    }
    const a = r as Agency;
    a.shortName = shortName;
    a.provinceName = p.name;
    a.fullName = fullName;
    return a;
  };

  const agencies = new AgencyIndex(complete, makeUbnd);
  for (const r of records) agencies.addRecord(r);
  for (const [line, file] of ubndRows) agencies.addRow(line, file);

  const reg: Registry = {
    dir: abs,
    meta,
    lexicon,
    provinces,
    places,
    agencies,
    loadMs: 0,
    province,
    place,
    agency: (id) => agencies.get(id),
    lexType: (slug) => typeIndex.get(slug),
    nameAt(agency, date) {
      if (date && agency.nameHistory) {
        for (const h of agency.nameHistory) if (date <= h.validTo) return h.name;
      }
      return agency.name;
    },
    aliases: (id) => aliasesOf(reg, id),
  };
  reg.loadMs = performance.now() - t0;
  log.debug({ dir: abs, agencies: agencies.size, ms: Math.round(reg.loadMs) }, 'agency registry loaded');
  cache.set(abs, reg);
  return reg;
}

/** Level words (from the lexicon) that introduce a unit of this admin type: "thị xã" → thị xã, TX, TX. */
function cuesFor(lex: Lexicon, unitType: string): string[] {
  return lex.levelWords.filter((w) => w.unitTypes.includes(unitType)).flatMap((w) => w.forms);
}

function aliasesOf(reg: Registry, id: string): string[] {
  const a = reg.agency(id);
  if (!a) return [];
  const lex = reg.lexicon;
  const out = new Set<string>();
  const p = reg.province(a.period, a.province)!;
  const provTypes = [p.type, ...(p.history ?? []).map((h) => h.type)];
  const provNames = [p.name, ...p.aliases];
  const provCues = [...new Set(provTypes.flatMap((t) => cuesFor(lex, t)))];
  const provPlaces = provNames.flatMap((n) =>
    /^(tp|hcm)/i.test(n) ? [n] : [n, ...provCues.map((c) => `${c} ${n}`)],
  );
  if (a.level === 'province') {
    const t = reg.lexType(a.type);
    if (t) {
      for (const h of headPhrases(t, lex.abbrJoiners)) {
        if (h.party) {
          const fits = provTypes.some((pt) => (pt === 'tỉnh') === (h.party === 'tinh'));
          if (!fits) continue;
          for (const n of provNames) out.add(`${h.phrase} ${n}`);
        } else {
          for (const pp of provPlaces) out.add(`${h.phrase} ${pp}`);
        }
        if (t.bare === true) out.add(h.phrase);
      }
    }
    for (const f of lex.fixedHeads)
      if (f.period === a.period && f.province === a.province && f.type === a.type) out.add(f.phrase);
    out.add(a.name);
    return [...out];
  }
  const ubnd = reg.lexType('ubnd-tinh');
  const heads = ubnd ? headPhrases(ubnd, lex.abbrJoiners).map((h) => h.phrase) : ['UBND'];
  const pl = reg.place(a.period, a.level, (a.level === 'district' ? a.district : a.commune)!)!;
  const forms: Array<[string, string]> = [[pl.type, pl.name], ...(pl.aliases ?? [])];
  for (const h of pl.history ?? []) forms.push([h.type, pl.name]);
  const qualifiers = [''];
  if (a.level === 'commune' && a.district) {
    const d = reg.place('pre2025', 'district', a.district);
    if (d)
      qualifiers.push(
        `, ${typeLabel(d.type)} ${d.name}`,
        `, ${typeLabel(d.type)} ${d.name}, ${p.type === 'tỉnh' ? 'tỉnh' : 'thành phố'} ${p.name}`,
      );
  }
  qualifiers.push(`, ${p.type === 'tỉnh' ? 'tỉnh' : 'thành phố'} ${p.name}`);
  for (const h of heads) {
    for (const [type, name] of forms) {
      for (const cue of cuesFor(lex, type)) {
        for (const q of qualifiers) out.add(`${h} ${cue} ${name}${q}`);
      }
    }
  }
  out.add(a.name);
  return [...out];
}
