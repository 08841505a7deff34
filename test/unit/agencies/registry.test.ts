import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandAbbr } from '../../../pipeline/agencies/registry/aliases.ts';
import { buildRegistry } from '../../../pipeline/agencies/registry/build.ts';
import {
  DEFAULT_ADMIN_UNITS_DIR,
  DEFAULT_CURATED_DIR,
  DEFAULT_DATA_DIR,
} from '../../../pipeline/agencies/registry/common.ts';
import { loadRegistry, type Registry } from '../../../pipeline/agencies/registry/load.ts';

const tmp = mkdtempSync(join(tmpdir(), 'agency-registry-'));
const dirA = join(tmp, 'a');
const dirB = join(tmp, 'b');
let reg: Registry;

beforeAll(() => {
  buildRegistry({ adminUnitsDir: DEFAULT_ADMIN_UNITS_DIR, outDir: dirA });
  buildRegistry({ adminUnitsDir: DEFAULT_ADMIN_UNITS_DIR, outDir: dirB });
  reg = loadRegistry(dirA);
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const files = (dir: string): string[] => readdirSync(dir).sort();

describe('registry build', () => {
  it('is reproducible: two builds write byte-identical files', () => {
    expect(files(dirA)).toEqual(files(dirB));
    expect(files(dirA).length).toBeGreaterThanOrEqual(7);
    for (const f of files(dirA))
      expect(readFileSync(join(dirB, f)).equals(readFileSync(join(dirA, f))), f).toBe(true);
  });

  it('matches the data files checked in under pipeline/agencies/data (rebuild after editing curated YAML)', () => {
    expect(files(DEFAULT_DATA_DIR)).toEqual(files(dirA));
    for (const f of files(dirA))
      expect(readFileSync(join(DEFAULT_DATA_DIR, f)).equals(readFileSync(join(dirA, f))), f).toBe(true);
  });

  it('keeps every data file under 4 MB', () => {
    for (const f of files(dirA)) expect(readFileSync(join(dirA, f)).length, f).toBeLessThan(4 * 1024 * 1024);
  });

  it('names the file and the field of invalid curated data', () => {
    const curated = join(tmp, 'bad-curated');
    cpSync(DEFAULT_CURATED_DIR, curated, { recursive: true });
    const p = join(curated, 'agency-types.yaml');
    writeFileSync(p, readFileSync(p, 'utf8').replace('    bare: unresolved\n', '    bare: maybe\n'));
    expect(() =>
      buildRegistry({
        adminUnitsDir: DEFAULT_ADMIN_UNITS_DIR,
        outDir: join(tmp, 'bad-out'),
        curatedDir: curated,
      }),
    ).toThrow(/curated\/agency-types\.yaml: types\.0\.bare/);
  });
});

describe('registry coverage', () => {
  it('covers the 63 pre-2025 and 34 current provinces with their core agencies', () => {
    const pre = reg.provinces.filter((p) => p.period === 'pre2025');
    const now = reg.provinces.filter((p) => p.period === '2025');
    expect(pre).toHaveLength(63);
    expect(now).toHaveLength(34);
    const core = [
      'ubnd-tinh',
      'hdnd-tinh',
      'vp-ubnd',
      'tinh-uy',
      'ubkt-tinh-uy',
      'thanh-tra',
      'cong-an',
      'tand',
      'vksnd',
      'bchqs',
      'bhxh',
    ];
    const sở = [
      'so-noi-vu',
      'so-tu-phap',
      'so-tai-chinh',
      'so-cong-thuong',
      'so-xay-dung',
      'so-kh-cn',
      'so-vh-tt-dl',
      'so-gd-dt',
      'so-y-te',
    ];
    for (const p of pre) {
      for (const t of [
        ...core,
        ...sở,
        'ban-tuyen-giao',
        'so-kh-dt',
        'so-gtvt',
        'so-nn-ptnt',
        'so-tn-mt',
        'so-ld-tb-xh',
        'so-tt-tt',
      ]) {
        expect(reg.agencies.has(`pre2025-${p.code}-${t}`), `pre2025-${p.code}-${t}`).toBe(true);
      }
    }
    for (const p of now) {
      for (const t of [...core, ...sở, 'so-nn-mt', 'ban-tuyen-giao-dan-van']) {
        expect(reg.agencies.has(`2025-${p.code}-${t}`), `2025-${p.code}-${t}`).toBe(true);
      }
      for (const old of ['so-tn-mt', 'so-tt-tt', 'so-kh-dt', 'ban-tuyen-giao'])
        expect(reg.agencies.has(`2025-${p.code}-${old}`)).toBe(false);
    }
  });

  it('has a UBND for every commune of both periods and every pre-2025 district', () => {
    for (const pl of reg.places) {
      const id = pl.level === 'district' ? `pre2025-d${pl.code}-ubnd` : `${pl.period}-c${pl.code}-ubnd`;
      expect(reg.agencies.has(id), id).toBe(true);
    }
    expect(reg.places.filter((p) => p.period === '2025')).toHaveLength(3321);
    expect(reg.places.filter((p) => p.level === 'district')).toHaveLength(707);
    expect(reg.places.filter((p) => p.period === 'pre2025' && p.level === 'commune')).toHaveLength(10615);
  });

  it('creates special agencies only where the curated lists say so', () => {
    expect(reg.agencies.has('pre2025-91-bql-kkt')).toBe(true); // Kiên Giang
    expect(reg.agencies.has('pre2025-35-ban-dan-toc')).toBe(false); // Hà Nam had no Ban Dân tộc
    expect(reg.agencies.has('pre2025-91-ban-dan-toc')).toBe(true);
    expect(reg.agencies.has('pre2025-91-so-du-lich')).toBe(true);
    expect(reg.agency('pre2025-91-so-vh-tt-dl')!.name).toBe('Sở Văn hóa và Thể thao tỉnh Kiên Giang');
    expect(reg.agency('2025-91-so-vh-tt-dl')!.name).toBe('Sở Văn hóa, Thể thao và Du lịch tỉnh An Giang');
    expect(reg.agency('2025-01-bchqs')!.name).toBe('Bộ Tư lệnh Thủ đô Hà Nội');
    expect(reg.agency('2025-01-so-ngoai-vu')).toBeDefined();
  });
});

describe('succession and validity', () => {
  it('points the successors of Sở TT&TT Kiên Giang to An Giang 2025 (KH&CN, press to VH-TT&DL)', () => {
    const a = reg.agency('pre2025-91-so-tt-tt')!;
    expect(a.name).toBe('Sở Thông tin và Truyền thông tỉnh Kiên Giang');
    expect(a.validTo).toBe('2025-06-30');
    expect(a.successors).toEqual(['2025-91-so-kh-cn', '2025-91-so-vh-tt-dl']);
    for (const s of a.successors) expect(reg.agency(s)!.provinceName).toBe('An Giang');
  });

  it('maps merged departments to their 2025 successors', () => {
    expect(reg.agency('pre2025-91-so-kh-dt')!.successors).toEqual(['2025-91-so-tai-chinh']);
    expect(reg.agency('pre2025-91-so-gtvt')!.successors).toEqual(['2025-91-so-xay-dung']);
    expect(reg.agency('pre2025-91-so-tn-mt')!.successors).toEqual(['2025-91-so-nn-mt']);
    expect(reg.agency('pre2025-91-so-nn-ptnt')!.successors).toEqual(['2025-91-so-nn-mt']);
    expect(reg.agency('pre2025-91-so-ld-tb-xh')!.successors[0]).toBe('2025-91-so-noi-vu');
    expect(reg.agency('pre2025-91-ban-dan-toc')!.successors).toEqual(['2025-91-so-dan-toc-ton-giao']);
    expect(reg.agency('pre2025-62-so-y-te')!.successors).toEqual(['2025-51-so-y-te']); // Kon Tum → Quảng Ngãi
    expect(reg.agency('pre2025-35-ubnd-tinh')!.successors).toEqual(['2025-37-ubnd-tinh']); // Hà Nam → Ninh Bình
  });

  it('gives old district and commune UBNDs successors from the succession data', () => {
    const kl = reg.agency('pre2025-d902-ubnd')!; // huyện Kiên Lương
    expect(kl.name).toBe('Ủy ban nhân dân huyện Kiên Lương');
    expect(kl.successors).toContain('2025-c30787-ubnd'); // xã Kiên Lương
    expect(kl.successors[kl.successors.length - 1]).toBe('2025-91-ubnd-tinh');
    const th = reg.agency('pre2025-c30853-ubnd')!; // xã Tân Hội, huyện Tân Hiệp
    expect(th.successors).toEqual(['2025-c30856-ubnd']);
    expect(th.fullName).toBe('Ủy ban nhân dân xã Tân Hội, huyện Tân Hiệp, tỉnh Kiên Giang');
    expect(th.validFrom).toBeNull();
    expect(th.validTo).toBe('2025-06-30');
  });

  it('ends units dissolved before the reform at their last listed date', () => {
    const yd = reg.agency('pre2025-d221-ubnd')!; // huyện Yên Dũng, last listed 2024-11-01
    expect(yd.validTo).toBe('2024-11-01');
    const c = reg.agency('2025-c30604-ubnd')!;
    expect(c.validFrom).toBe('2025-07-01');
    expect(c.validTo).toBeNull();
  });

  it('keeps ids through the Đồng Nai change of 2026-04-30 and records the earlier names', () => {
    const u = reg.agency('2025-75-ubnd-tinh')!;
    expect(u.name).toBe('Ủy ban nhân dân thành phố Đồng Nai');
    expect(reg.nameAt(u, '2025-09-01')).toBe('Ủy ban nhân dân tỉnh Đồng Nai');
    expect(reg.nameAt(u, '2026-05-01')).toBe('Ủy ban nhân dân thành phố Đồng Nai');
    expect(reg.agency('2025-75-tinh-uy')!.name).toBe('Thành ủy Đồng Nai');
    const w = reg.agency('2025-c25270-ubnd')!;
    expect(w.name).toBe('Ủy ban nhân dân phường Lộc Ninh');
    expect(reg.nameAt(w, '2026-01-01')).toBe('Ủy ban nhân dân xã Lộc Ninh');
  });
});

describe('aliases', () => {
  it('expands abbreviation templates with &, - and nothing', () => {
    const v = expandAbbr('Sở TN{&}MT', reg.lexicon.abbrJoiners);
    for (const x of ['Sở TN&MT', 'Sở TN-MT', 'Sở TNMT', 'Sở TN & MT']) expect(v).toContain(x);
    const l = expandAbbr('Sở LĐ{-}TB{&}XH', reg.lexicon.abbrJoiners);
    for (const x of ['Sở LĐ-TB&XH', 'Sở LĐTB&XH', 'Sở LĐTBXH', 'Sở LĐ-TB-XH']) expect(l).toContain(x);
    const c = expandAbbr('Sở VH{-}TT{&}DL', reg.lexicon.abbrJoiners);
    for (const x of ['Sở VH-TT&DL', 'Sở VHTTDL', 'Sở VH,TT&DL']) expect(c).toContain(x);
  });

  it('lists full, short, abbreviated and placed forms of an agency', () => {
    const a = reg.aliases('pre2025-91-so-tn-mt');
    for (const x of [
      'Sở Tài nguyên và Môi trường tỉnh Kiên Giang',
      'Sở Tài nguyên và Môi trường Kiên Giang',
      'Sở Tài nguyên và Môi trường',
      'Sở TN&MT tỉnh Kiên Giang',
      'Sở TN-MT',
      'Sở TNMT',
      'STNMT',
    ]) {
      expect(a).toContain(x);
    }
    expect(reg.aliases('2025-91-cong-an')).toContain('Công an An Giang');
    expect(reg.aliases('2025-91-cong-an')).not.toContain('Công an'); // "Công an" alone is not this agency
    expect(reg.aliases('pre2025-c30853-ubnd')).toContain('UBND xã Tân Hội, huyện Tân Hiệp');
    expect(reg.aliases('2025-79-ubnd-tinh')).toContain('UBND TP.HCM');
    expect(reg.aliases('2025-75-ubnd-tinh')).toEqual(
      expect.arrayContaining(['UBND TP Đồng Nai', 'UBND tỉnh Đồng Nai']),
    );
  });
});

describe('loader', () => {
  it('loads and validates the registry well under a second of CPU', () => {
    const before = process.cpuUsage();
    const r = loadRegistry(DEFAULT_DATA_DIR, { fresh: true });
    const used = process.cpuUsage(before);
    expect(r.agencies.size).toBe(r.meta.counts.agenciesTotal);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });

  it('reports a missing data directory with the build command', () => {
    expect(() => loadRegistry(join(tmp, 'nowhere'), { fresh: true })).toThrow(/registry\/build\.ts/);
  });
});
