import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgencyTag } from '../../../model/records.ts';
import {
  createLinker,
  type LinkInput,
  type LinkResult,
  type Linker,
} from '../../../pipeline/agencies/link.ts';
import { loadRegistry, type Registry } from '../../../pipeline/agencies/registry/load.ts';

let linker: Linker;
let reg: Registry;
beforeAll(() => {
  reg = loadRegistry();
  linker = createLinker(reg);
}, 60_000);

const D2020 = '2020-05-04T09:00:00+07:00';
const D2026 = '2026-06-10T09:00:00+07:00';

function link(title: string, body = '', extra: Partial<LinkInput> = {}): LinkResult {
  const r = linker.link({ title, body, publishedAt: D2026, ...extra });
  z.array(AgencyTag).parse(r.agencies);
  return r;
}
const ids = (r: LinkResult): string[] => r.agencies.map((a) => a.id).sort();

/** Every mention's offsets must cut exactly its text out of the original field. */
function expectOffsetsExact(input: LinkInput, r: LinkResult): void {
  for (const a of r.agencies) {
    for (const m of a.mentions) {
      const field = m.field === 'title' ? input.title : m.field === 'sapo' ? input.sapo : input.body;
      expect(field!.slice(m.start, m.end)).toBe(m.text);
      expect(m.end).toBeGreaterThan(m.start);
    }
  }
  for (const u of r.unresolved) {
    const field = u.field === 'title' ? input.title : u.field === 'sapo' ? input.sapo : input.body;
    expect(field!.slice(u.start, u.end)).toBe(u.text);
  }
}

describe('registry aliases', () => {
  it.each([
    'pre2025-91-so-tn-mt',
    'pre2025-89-so-ld-tb-xh',
    '2025-91-so-vh-tt-dl',
    '2025-79-ubnd-tinh',
    '2025-75-tinh-uy',
    'pre2025-46-ban-tuyen-giao',
    'pre2025-01-bchqs',
    'pre2025-d902-ubnd',
    'pre2025-c30853-ubnd',
    '2025-c30856-ubnd',
    '2025-c25270-ubnd',
  ])(
    'every alias of %s that names its place links back to it (or reports it among ambiguous candidates)',
    (id) => {
      const a = reg.agency(id)!;
      const p = reg.province(a.period, a.province)!;
      const date = a.period === 'pre2025' ? '2024-06-01' : '2026-06-01';
      let checked = 0;
      for (const alias of reg.aliases(id)) {
        const named = a.level !== 'province' || [p.name, ...p.aliases].some((n) => alias.includes(n));
        if (!named) continue;
        checked++;
        const r = linker.link({ title: alias, body: '', publishedAt: `${date}T09:00:00+07:00` });
        const ok =
          (r.agencies.length === 1 && r.agencies[0]!.id === id) ||
          r.unresolved.some((u) => u.candidates?.includes(id));
        expect(ok, `${alias} → ${JSON.stringify([r.agencies.map((x) => x.id), r.unresolved])}`).toBe(true);
      }
      expect(checked).toBeGreaterThan(3);
    },
  );
});

describe('abbreviations and spelling variants', () => {
  it.each([
    ['Sở TN&MT tỉnh Kiên Giang', 'pre2025-91-so-tn-mt'],
    ['Sở TN-MT tỉnh Kiên Giang', 'pre2025-91-so-tn-mt'],
    ['Sở TNMT Kiên Giang', 'pre2025-91-so-tn-mt'],
    ['STNMT Kiên Giang', 'pre2025-91-so-tn-mt'],
    ['Sở Tài nguyên và Môi trường tỉnh Kiên Giang', 'pre2025-91-so-tn-mt'],
    ['Sở LĐ-TB&XH tỉnh An Giang', 'pre2025-89-so-ld-tb-xh'],
    ['Sở LĐTB&XH An Giang', 'pre2025-89-so-ld-tb-xh'],
    ['Sở LĐTBXH tỉnh An Giang', 'pre2025-89-so-ld-tb-xh'],
    ['Sở VH-TT&DL tỉnh Kon Tum', 'pre2025-62-so-vh-tt-dl'],
    ['Sở VHTTDL Kon Tum', 'pre2025-62-so-vh-tt-dl'],
    ['Sở VH,TT&DL tỉnh Kon Tum', 'pre2025-62-so-vh-tt-dl'],
    ['Sở GD&ĐT tỉnh Hà Nam', 'pre2025-35-so-gd-dt'],
    ['Sở GD-ĐT Hà Nam', 'pre2025-35-so-gd-dt'],
    ['Sở GDĐT tỉnh Hà Nam', 'pre2025-35-so-gd-dt'],
    ['Sở GD–ĐT tỉnh Hà Nam', 'pre2025-35-so-gd-dt'], // en dash
    ['Sở KH&ĐT tỉnh Kiên Giang', 'pre2025-91-so-kh-dt'],
    ['Sở NN&PTNT tỉnh Kiên Giang', 'pre2025-91-so-nn-ptnt'],
    ['Sở TT&TT tỉnh Kiên Giang', 'pre2025-91-so-tt-tt'],
    ['HĐND tỉnh Kiên Giang', 'pre2025-91-hdnd-tinh'],
    ['Viện KSND tỉnh Kiên Giang', 'pre2025-91-vksnd'],
    ['TAND tỉnh Kiên Giang', 'pre2025-91-tand'],
    ['Bộ CHQS tỉnh Kiên Giang', 'pre2025-91-bchqs'],
    ['Ban Quản lý Khu kinh tế tỉnh Kiên Giang', 'pre2025-91-bql-kkt'],
    ['Ban Dân tộc tỉnh Kiên Giang', 'pre2025-91-ban-dan-toc'],
  ])('%s → %s (2020)', (text, id) => {
    const r = link(`${text} họp báo`, '', { publishedAt: D2020 });
    expect(ids(r)).toEqual([id]);
    expect(r.agencies[0]!.mentions[0]!.text.startsWith(text.split(' ')[0]!)).toBe(true);
  });

  it('reads text written without diacritics', () => {
    const r = link(
      'So Tai nguyen va Moi truong tinh Kien Giang kiem tra',
      'UBND tinh Kien Giang chi dao. Cong an tinh vao cuoc.',
      {
        publishedAt: D2020,
      },
    );
    expect(ids(r)).toEqual(['pre2025-91-cong-an', 'pre2025-91-so-tn-mt', 'pre2025-91-ubnd-tinh']);
  });

  it('does not read a different accented word as the agency ("sợ y tế")', () => {
    const r = link('Người dân sợ y tế tuyến xã quá tải', 'Tâm lý sợ y tế cơ sở vẫn phổ biến ở An Giang.');
    expect(r.agencies).toEqual([]);
  });

  it('does not take plain "xa" (far) for "xã" in accented text', () => {
    const r = link('Đường xa Tân Hội vẫn lầy lội', 'UBND xa Tân Hội', {
      outletProvince: { code: '91', period: '2025' },
    });
    expect(r.agencies.map((a) => a.level)).not.toContain('commune');
  });

  it('treats NFD input like NFC and maps offsets back into the NFD original', () => {
    const title = 'Ủy ban nhân dân tỉnh An Giang chỉ đạo Sở Y tế'.normalize('NFD');
    const input = { title, body: '', publishedAt: D2026 };
    const r = linker.link(input);
    expect(ids(r)).toEqual(['2025-91-so-y-te', '2025-91-ubnd-tinh']);
    expectOffsetsExact(input, r);
    const ubnd = r.agencies.find((a) => a.id === '2025-91-ubnd-tinh')!;
    expect(ubnd.mentions[0]!.text.normalize('NFC')).toBe('Ủy ban nhân dân tỉnh An Giang');
  });

  it('accepts both tone-mark conventions (Uỷ/Ủy, Hoá/Hóa)', () => {
    const r = link('Uỷ ban nhân dân tỉnh Thanh Hoá', 'Sở Văn hoá, Thể thao và Du lịch tỉnh Khánh Hoà.');
    expect(ids(r)).toEqual(['2025-38-ubnd-tinh', '2025-56-so-vh-tt-dl']);
  });

  it('accepts upper-case headlines and odd spacing', () => {
    expect(ids(link('SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH KIÊN GIANG', '', { publishedAt: D2020 }))).toEqual([
      'pre2025-91-so-tn-mt',
    ]);
    const input = { title: 'Sở  Y\u00a0tế   tỉnh\u200b An Giang', body: '', publishedAt: D2026 };
    const r = linker.link(input);
    expect(ids(r)).toEqual(['2025-91-so-y-te']);
    expectOffsetsExact(input, r);
  });

  it('names provinces by their other spellings (TP.HCM, Thừa Thiên Huế, Đắk Lắk)', () => {
    const r = link(
      'UBND TP.HCM, Công an TPHCM và Sở Y tế Thành phố Hồ Chí Minh',
      'Sở Y tế Đắc Lắc; UBND tỉnh Thừa Thiên Huế.',
      {
        publishedAt: '2024-04-01T09:00:00+07:00',
      },
    );
    expect(ids(r)).toEqual([
      'pre2025-46-ubnd-tinh',
      'pre2025-66-so-y-te',
      'pre2025-79-cong-an',
      'pre2025-79-so-y-te',
      'pre2025-79-ubnd-tinh',
    ]);
  });
});

describe('periods', () => {
  it('links the 2020 Sở TT&TT Kiên Giang to the historic agency and lists its successors', () => {
    const r = link('Sở Thông tin và Truyền thông tỉnh Kiên Giang tổ chức hội nghị báo chí', '', {
      publishedAt: D2020,
    });
    expect(ids(r)).toEqual(['pre2025-91-so-tt-tt']);
    const t = r.agencies[0]!;
    expect(t.successors).toEqual(['2025-91-so-kh-cn', '2025-91-so-vh-tt-dl']);
    expect(t.validTo).toBe('2025-06-30');
    expect(t.provinceName).toBe('Kiên Giang');
  });

  it('links the 2026 Sở Nông nghiệp và Môi trường An Giang to the current agency', () => {
    expect(ids(link('Sở Nông nghiệp và Môi trường An Giang kiểm tra sạt lở'))).toEqual(['2025-91-so-nn-mt']);
  });

  it('picks the unit of the publication date: An Giang 89 before, 91 after the reform', () => {
    expect(ids(link('Sở Y tế tỉnh An Giang', '', { publishedAt: '2025-06-30T23:00:00+07:00' }))).toEqual([
      'pre2025-89-so-y-te',
    ]);
    expect(ids(link('Sở Y tế tỉnh An Giang', '', { publishedAt: '2025-07-01T00:30:00+07:00' }))).toEqual([
      '2025-91-so-y-te',
    ]);
  });

  it('links old units named explicitly after the reform to the historic agencies', () => {
    const r = link(
      'UBND huyện Kiên Lương (cũ) bàn giao hồ sơ',
      'Sở TN&MT tỉnh Kiên Giang trước đây đã cấp phép. Sở Y tế Kiên Giang cũng vậy.',
    );
    expect(ids(r)).toEqual(['pre2025-91-so-tn-mt', 'pre2025-91-so-y-te', 'pre2025-d902-ubnd']);
    const kl = r.agencies.find((a) => a.id === 'pre2025-d902-ubnd')!;
    expect(kl.mentions[0]!.text).toBe('UBND huyện Kiên Lương (cũ)');
    expect(kl.successors).toContain('2025-91-ubnd-tinh');
  });

  it('without a date uses the current period with lower confidence', () => {
    const dated = link('Sở Y tế An Giang');
    const undated = link('Sở Y tế An Giang', '', { publishedAt: null });
    expect(ids(undated)).toEqual(['2025-91-so-y-te']);
    expect(undated.agencies[0]!.confidence).toBeLessThan(dated.agencies[0]!.confidence);
  });

  it('uses the name valid on the date (Đồng Nai became a thành phố on 2026-04-30)', () => {
    const before = link('UBND tỉnh Đồng Nai họp', '', { publishedAt: '2025-10-01T09:00:00+07:00' });
    const after = link('UBND TP Đồng Nai họp', '', { publishedAt: '2026-05-02T09:00:00+07:00' });
    expect(ids(before)).toEqual(['2025-75-ubnd-tinh']);
    expect(ids(after)).toEqual(['2025-75-ubnd-tinh']);
    expect(before.agencies[0]!.name).toBe('Ủy ban nhân dân tỉnh Đồng Nai');
    expect(after.agencies[0]!.name).toBe('Ủy ban nhân dân thành phố Đồng Nai');
    expect(ids(link('Thành ủy Đồng Nai chỉ đạo'))).toEqual(['2025-75-tinh-uy']);
  });

  it('reads "TP Huế" as the district-level city before 2025 and the province after', () => {
    expect(ids(link('UBND TP Huế ra quân', '', { publishedAt: '2023-05-01T09:00:00+07:00' }))).toEqual([
      'pre2025-d474-ubnd',
    ]);
    expect(ids(link('UBND TP Huế ra quân', '', { publishedAt: '2025-03-05T09:00:00+07:00' }))).toEqual([
      'pre2025-46-ubnd-tinh',
    ]);
  });
});

describe('context resolution', () => {
  it('resolves "Công an tỉnh", "Chủ tịch UBND tỉnh" and "Sở Y tế" from a province named in the text', () => {
    const r = link(
      'Chủ tịch UBND tỉnh chỉ đạo khắc phục sạt lở',
      'Tại tỉnh An Giang, Công an tỉnh và Sở Y tế đã có mặt.',
    );
    expect(ids(r)).toEqual(['2025-91-cong-an', '2025-91-so-y-te', '2025-91-ubnd-tinh']);
    for (const a of r.agencies) expect(a.confidence).toBeLessThan(0.95);
  });

  it('resolves from the dateline', () => {
    const r = link('Sạt lở bờ kênh', '', { sapo: '(AG) - Sáng 23/11, Sở Xây dựng đã kiểm tra hiện trường.' });
    expect(ids(r)).toEqual(['2025-91-so-xay-dung']);
    const r2 = link('Sạt lở', '', {
      publishedAt: D2020,
      sapo: 'Rạch Giá, 23/11 – UBND tỉnh vừa chỉ đạo khắc phục.',
    });
    expect(ids(r2)).toEqual(['pre2025-91-ubnd-tinh']);
  });

  it('counts a place after a sentence-initial capital, not one inside a person name', () => {
    expect(ids(link('Kiểm tra an toàn thực phẩm', 'Tại Cà Mau, Sở Y tế đã lập đoàn kiểm tra.'))).toEqual([
      '2025-96-so-y-te',
    ]);
    const r = link(
      'Kiểm tra an toàn thực phẩm',
      'Bác sĩ Nguyễn Cà Mau cho biết Sở Y tế đã lập đoàn kiểm tra.',
    );
    expect(r.agencies).toEqual([]);
    expect(r.unresolved.map((u) => u.reason)).toEqual(['no-province-context']);
  });

  it('reads Title-Case headlines: capitals after a level word are not unknown units', () => {
    expect(ids(link('Sở Y Tế Tỉnh Cà Mau Họp Báo Về Dịch Bệnh'))).toEqual(['2025-96-so-y-te']);
    const r = link('UBND Tỉnh Họp Bàn Về Sạt Lở Bờ Kênh', '', {
      outletProvince: { code: '96', period: '2025' },
    });
    expect(ids(r)).toEqual(['2025-96-ubnd-tinh']);
    expect(r.unresolved).toEqual([]);
  });

  it('falls back to the outlet province with the lowest confidence', () => {
    const r = link('Sở Y tế cảnh báo sốt xuất huyết', 'Người dân cần chủ động phòng bệnh.', {
      outletProvince: { code: '91', period: '2025' },
    });
    expect(ids(r)).toEqual(['2025-91-so-y-te']);
    expect(r.agencies[0]!.confidence).toBeLessThanOrEqual(0.6);
  });

  it('follows an agency named with its province earlier in the article', () => {
    const r = link(
      'Sở Y tế Cà Mau kiểm tra',
      'Theo Sở Y tế, số ca bệnh giảm. Đoàn công tác của Hà Nội cũng đến thăm Sở Y tế.',
    );
    expect(ids(r)).toEqual(['2025-96-so-y-te']);
    expect(r.agencies[0]!.mentions).toHaveLength(3);
  });

  it('reports a province-less mention without context as unresolved, never guessed', () => {
    const r = link('Công an tỉnh triệt phá đường dây đánh bạc', 'Sở Y tế cũng vào cuộc.');
    expect(r.agencies).toEqual([]);
    expect(r.unresolved.map((u) => u.reason)).toEqual(['no-province-context', 'no-province-context']);
    expect(r.unresolved[0]!.text).toBe('Công an tỉnh');
  });

  it('reports ambiguity when the article names two provinces equally', () => {
    const r = link('Hợp tác phòng dịch', 'Tỉnh An Giang và tỉnh Cà Mau ký kết. Sở Y tế chủ trì.');
    expect(r.agencies).toEqual([]);
    expect(r.unresolved[0]!.reason).toBe('ambiguous-province');
    expect(r.unresolved[0]!.candidates!.sort()).toEqual(['91', '96']);
  });
});

describe('communes and districts', () => {
  it('leaves a commune name found in several provinces unresolved without context', () => {
    const r = link('UBND xã Tân Hội họp dân', 'Người dân phản ánh ô nhiễm.');
    expect(r.agencies).toEqual([]);
    expect(r.unresolved).toHaveLength(1);
    expect(r.unresolved[0]!.reason).toBe('ambiguous-commune');
    expect(r.unresolved[0]!.candidates!.sort()).toEqual([
      '2025-c24976-ubnd',
      '2025-c25525-ubnd',
      '2025-c30856-ubnd',
    ]);
  });

  it('resolves the same commune name from context: place, outlet, qualifier', () => {
    expect(ids(link('UBND xã Tân Hội họp dân', 'Tại tỉnh An Giang, người dân phản ánh.'))).toEqual([
      '2025-c30856-ubnd',
    ]);
    expect(
      ids(link('UBND xã Tân Hội họp dân', '', { outletProvince: { code: '80', period: '2025' } })),
    ).toEqual(['2025-c25525-ubnd']);
    expect(ids(link('UBND xã Tân Hội, tỉnh Lâm Đồng họp dân'))).toEqual(['2025-c24976-ubnd']);
  });

  it('resolves a pre-2025 commune by its district qualifier', () => {
    const r = link('Ủy ban nhân dân xã Tân Hội, huyện Tân Hiệp họp dân', '', { publishedAt: D2020 });
    expect(ids(r)).toEqual(['pre2025-c30853-ubnd']);
    expect(r.agencies[0]!.mentions[0]!.text).toBe('Ủy ban nhân dân xã Tân Hội, huyện Tân Hiệp');
    expect(r.agencies[0]!.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('resolves "UBND huyện" and "Chủ tịch xã" from the district or commune named in the text', () => {
    const r = link(
      'Sạt lở ở huyện Kiên Lương',
      'UBND huyện đã báo cáo. Chủ tịch xã Bình An, huyện Kiên Lương có mặt; Chủ tịch xã cho biết...',
      {
        publishedAt: D2020,
      },
    );
    expect(ids(r)).toEqual(['pre2025-c30808-ubnd', 'pre2025-d902-ubnd']);
  });

  it('does not tag district bodies that are not in the registry ("Công an huyện")', () => {
    const r = link(
      'Công an huyện Kiên Lương bắt giữ đối tượng',
      'Công an huyện Kiên Lương, tỉnh Kiên Giang cho biết.',
      { publishedAt: D2020 },
    );
    expect(r.agencies).toEqual([]);
    expect(r.unresolved).toEqual([]);
  });

  it('reports "UBND huyện" after the reform, when districts no longer exist', () => {
    const r = link('UBND huyện chậm trả lời', 'Người dân tỉnh An Giang bức xúc.');
    expect(r.unresolved.map((u) => u.reason)).toEqual(['district-level-abolished']);
  });
});

describe('coordination, plurals and back-references', () => {
  it('shares one place across coordinated heads of the same level only', () => {
    expect(ids(link('Sở Y tế và Sở GD&ĐT tỉnh An Giang họp'))).toEqual([
      '2025-91-so-gd-dt',
      '2025-91-so-y-te',
    ]);
    expect(ids(link('HĐND-UBND tỉnh An Giang thống nhất'))).toEqual([
      '2025-91-hdnd-tinh',
      '2025-91-ubnd-tinh',
    ]);
    // a province-level Sở does not take the commune of the UBND it is listed with
    const r = link(
      'UBND tỉnh An Giang giao Sở Tài chính, Sở Xây dựng và UBND đặc khu Phú Quốc rà soát dự án',
    );
    expect(ids(r)).toEqual([
      '2025-91-so-tai-chinh',
      '2025-91-so-xay-dung',
      '2025-91-ubnd-tinh',
      '2025-c31078-ubnd',
    ]);
  });

  it('spells out distributive plurals and counted back-references', () => {
    const r = link('Sốt xuất huyết tăng', 'Sở Y tế hai tỉnh An Giang và Cà Mau cho biết số ca đều tăng.');
    expect(ids(r)).toEqual(['2025-91-so-y-te', '2025-96-so-y-te']);
    const r2 = link(
      'Đường hư hỏng',
      'Dân phản ánh về đường ở huyện Đắk Hà và huyện Sa Thầy. Sở TT&TT đã chuyển đến UBND hai huyện để trả lời.',
      {
        publishedAt: D2020,
      },
    );
    expect(ids(r2)).toEqual(['pre2025-62-so-tt-tt', 'pre2025-d615-ubnd', 'pre2025-d616-ubnd']);
    // a count that does not match the districts named stays generic
    expect(ids(link('Họp', 'Tại huyện Đắk Hà, UBND ba huyện cùng ký kết.', { publishedAt: D2020 }))).toEqual(
      [],
    );
  });

  it('reads "cùng cấp" as the level of the agency named before', () => {
    const r = link('Tuyên án', 'TAND tỉnh đã tuyên án. Đại diện VKSND cùng cấp giữ quyền công tố.', {
      outletProvince: { code: '35', period: 'pre2025' },
      publishedAt: D2020,
    });
    expect(ids(r)).toEqual(['pre2025-35-tand', 'pre2025-35-vksnd']);
  });
});

describe('more place forms', () => {
  it('reads one-letter abbreviations only before a name ("UBND H.Kiên Lương")', () => {
    expect(ids(link('UBND H.Kiên Lương chỉ đạo', '', { publishedAt: D2020 }))).toEqual(['pre2025-d902-ubnd']);
    expect(ids(link('UBND P.4, Q.5, TP.HCM họp', '', { publishedAt: D2020 }))).toEqual([
      'pre2025-c27301-ubnd',
    ]);
  });

  it('accepts an old type word after an upgrade ("huyện Phú Quốc", a city since 2021)', () => {
    expect(
      ids(link('UBND huyện Phú Quốc lập đề án', '', { publishedAt: '2024-05-01T09:00:00+07:00' })),
    ).toEqual(['pre2025-d911-ubnd']);
  });

  it('counts weak names after a locative or as a headline prefix', () => {
    expect(
      ids(
        link('Hà Nam: Người dân phản ánh mùi hôi', 'Sở TN&MT cho biết đã lấy mẫu.', { publishedAt: D2020 }),
      ),
    ).toEqual(['pre2025-35-so-tn-mt']);
    expect(
      ids(
        link('Mùi hôi từ bãi rác', 'Nhiều hộ dân ở Hà Nam phản ánh. Sở TN&MT cho biết đã lấy mẫu.', {
          publishedAt: D2020,
        }),
      ),
    ).toEqual(['pre2025-35-so-tn-mt']);
    expect(
      link('Chị Hà Nam kể chuyện', 'Sở TN&MT cho biết đã lấy mẫu.', { publishedAt: D2020 }).agencies,
    ).toEqual([]);
  });

  it('uses a credited source as context ("Theo Báo Kon Tum")', () => {
    const r = link(
      'Học nghề cho lao động nông thôn',
      '(Theo Báo Kon Tum) Sở LĐ-TB&XH tỉnh cho biết đã hỗ trợ 4.200 lao động.',
      { publishedAt: D2020 },
    );
    expect(ids(r)).toEqual(['pre2025-62-so-ld-tb-xh']);
  });

  it('infers the period of an undated article from period-specific names', () => {
    const r = link(
      'Sở Kế hoạch và Đầu tư tỉnh Kiên Giang tổ chức hội nghị',
      'Sở Kế hoạch và Đầu tư phối hợp Sở Du lịch tổ chức hội nghị.',
      {
        publishedAt: null,
      },
    );
    expect(ids(r)).toEqual(['pre2025-91-so-du-lich', 'pre2025-91-so-kh-dt']);
    expect(ids(link('UBND đặc khu Phú Quốc họp', 'UBND tỉnh chỉ đạo.', { publishedAt: null }))).toEqual([
      '2025-91-ubnd-tinh',
      '2025-c31078-ubnd',
    ]);
  });
});

describe('look-alikes are not agencies', () => {
  it.each([
    'Bộ Y tế ban hành hướng dẫn mới',
    'Báo Tài nguyên và Môi trường đăng loạt bài',
    'Báo Giáo dục và Thời đại phản ánh',
    'Sở Giao dịch Chứng khoán TP.HCM khai trương hệ thống mới',
    'Sở Giao dịch Ngân hàng Nhà nước thông báo',
    'Báo Công an TP.HCM đưa tin',
    'Báo Công an nhân dân phát hành số đặc biệt',
    'Bộ Công an, Thanh tra Chính phủ, TAND tối cao và VKSND tối cao',
    'BHXH Việt Nam đề nghị',
    'Công ty Cổ phần Xây dựng Kiên Giang trúng thầu',
    'Sở Y tế các tỉnh họp trực tuyến, UBND các xã báo cáo',
    'Theo Quyết định số 123/QĐ-UBND ngày 2/3',
    'Phát triển kinh tế - xã hội An Giang',
  ])('%s', (title) => {
    const r = link(title, '', { outletProvince: { code: '91', period: '2025' } });
    expect(r.agencies).toEqual([]);
    expect(r.unresolved).toEqual([]);
  });

  it('blocks curated look-alikes that contain an agency name with its place', () => {
    expect(link('Công an Hà Nội FC thắng 2-0 trên sân nhà').agencies).toEqual([]);
    expect(ids(link('Công an Hà Nội bắt giữ nghi phạm'))).toEqual(['2025-01-cong-an']);
  });

  it('never matches inside a word', () => {
    expect(link('AUBND tỉnh An GiangX', 'XSở Y tế An Giangs').agencies).toEqual([]);
  });
});

describe('mentions and prominence', () => {
  const body = [
    'Sáng 23/11, Sở Tài nguyên và Môi trường tỉnh Kiên Giang phối hợp với UBND huyện Kiên Lương kiểm tra sạt lở.',
    'Người dân phản ánh việc khai thác cát kéo dài. Chủ tịch UBND tỉnh yêu cầu Công an tỉnh xác minh.',
    'Ông A, Phó Giám đốc Sở TN&MT, cho biết sẽ báo cáo. Sở TN&MT đã lập đoàn kiểm tra.',
    'Hội nghị có đại diện Bộ Y tế, Báo Tài nguyên và Môi trường. Cuối cùng, Thanh tra tỉnh Kiên Giang tham dự.',
  ].join('\n\n');
  const input: LinkInput = {
    title: 'Kiên Giang xử lý sạt lở bờ kênh',
    sapo: 'UBND tỉnh Kiên Giang chỉ đạo.',
    body,
    publishedAt: D2020,
  };
  let r: LinkResult;
  beforeAll(() => {
    r = linker.link(input);
  });

  it('tags several agencies in one text, each once', () => {
    expect(ids(r)).toEqual([
      'pre2025-91-cong-an',
      'pre2025-91-so-tn-mt',
      'pre2025-91-thanh-tra',
      'pre2025-91-ubnd-tinh',
      'pre2025-d902-ubnd',
    ]);
  });

  it('records every mention with offsets into the original field', () => {
    expectOffsetsExact(input, r);
    const tnmt = r.agencies.find((a) => a.id === 'pre2025-91-so-tn-mt')!;
    expect(tnmt.mentions.map((m) => m.text)).toEqual([
      'Sở Tài nguyên và Môi trường tỉnh Kiên Giang',
      'Sở TN&MT',
      'Sở TN&MT',
    ]);
    const ubnd = r.agencies.find((a) => a.id === 'pre2025-91-ubnd-tinh')!;
    expect(ubnd.mentions.map((m) => [m.field, m.text])).toEqual([
      ['sapo', 'UBND tỉnh Kiên Giang'],
      ['body', 'UBND tỉnh'],
    ]);
  });

  it('counts the subject of a lead clause as primary, after titles ("Phó Chủ tịch UBND xã …")', () => {
    const r = link(
      'Nông dân trồng lúa hữu cơ',
      'Tại xã Tân Hội, tỉnh An Giang, vụ này có 120 ha lúa hữu cơ. Phó Chủ tịch UBND xã Tân Hội cho biết sẽ nhân rộng. Sau đó, Sở Tài chính cũng có ý kiến.',
    );
    const p = Object.fromEntries(r.agencies.map((a) => [a.id, a.prominence]));
    expect(p).toEqual({ '2025-c30856-ubnd': 'primary', '2025-91-so-tai-chinh': 'secondary' });
  });

  it('grades prominence: lead/title or 3+ mentions primary, one mention deep in the body passing', () => {
    const p = Object.fromEntries(r.agencies.map((a) => [a.id, a.prominence]));
    expect(p['pre2025-91-ubnd-tinh']).toBe('primary'); // sapo
    expect(p['pre2025-91-so-tn-mt']).toBe('primary'); // first sentence, 3 mentions
    expect(p['pre2025-91-cong-an']).toBe('passing'); // once, second paragraph
    expect(p['pre2025-91-thanh-tra']).toBe('passing');
    expect(p['pre2025-d902-ubnd']).toBe('primary'); // first sentence of the body
    expect(r.agencies[0]!.prominence).toBe('primary');
  });

  it('gives explicit mentions a higher confidence than context-resolved ones', () => {
    const c = Object.fromEntries(r.agencies.map((a) => [a.id, a.confidence]));
    expect(c['pre2025-91-so-tn-mt']).toBeGreaterThanOrEqual(0.9);
    expect(c['pre2025-91-cong-an']).toBeLessThan(c['pre2025-91-so-tn-mt']!);
  });
});
