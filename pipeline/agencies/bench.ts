/**
 * Throughput of the agency linker on ~4 KB articles with the full national registry.
 *
 *   npx tsx pipeline/agencies/bench.ts [articles=2000]
 *
 * Reports wall and CPU time (the CPU figure is the one to quote on a shared machine).
 */
import { createLinker } from './link.ts';
import { loadRegistry } from './registry/load.ts';

const N = Number(process.argv[2] ?? 2000);

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const sentences = [
  'Sáng 23/11, Sở Tài nguyên và Môi trường tỉnh Kiên Giang phối hợp với UBND huyện Kiên Lương kiểm tra tình trạng sạt lở bờ kênh tại xã Bình An.',
  'Người dân phản ánh việc khai thác cát trái phép kéo dài nhiều tháng nhưng chính quyền địa phương chậm xử lý.',
  'Chủ tịch UBND tỉnh yêu cầu Công an tỉnh và Sở Xây dựng khẩn trương xác minh, báo cáo trước ngày 30/11.',
  'Theo Sở Y tế, số ca sốt xuất huyết trong tuần tăng 12% so với cùng kỳ, tập trung ở phường Rạch Giá và xã Tân Hội.',
  'Đại diện Sở GD&ĐT cho biết đã chỉ đạo các trường rà soát cơ sở vật chất trước mùa mưa bão.',
  'Báo Tài nguyên và Môi trường trước đó cũng đăng loạt bài về tình trạng ô nhiễm nguồn nước tại khu vực này.',
  'Ông Nguyễn Văn An, Phó Giám đốc Sở Nông nghiệp và Môi trường, thừa nhận việc xử lý còn chậm do thiếu nhân lực.',
  'Hội nghị có sự tham dự của đại diện Bộ Y tế, Thanh tra tỉnh và lãnh đạo các địa phương trong vùng.',
  'Trong năm 2024, tỉnh đã giải quyết 245 đơn khiếu nại, tố cáo liên quan đến đất đai, đạt tỷ lệ 92%.',
  'Các hộ dân đề nghị cơ quan chức năng sớm có phương án bồi thường, hỗ trợ tái định cư phù hợp.',
];

const plainSentences = [
  'Người dân trong khu vực cho biết tình trạng này đã kéo dài nhiều năm, ảnh hưởng lớn đến sinh hoạt và sản xuất.',
  'Theo ghi nhận của phóng viên, nhiều đoạn đường bị sạt lở nghiêm trọng, xe máy phải đi vòng qua ruộng lúa.',
  'Các hộ dân đề nghị cơ quan chức năng sớm có phương án khắc phục, bảo đảm an toàn cho học sinh đi học.',
  'Năm nay, giá lúa tăng nhẹ so với cùng kỳ, nhiều nông dân có lãi từ 15 đến 20 triệu đồng mỗi héc-ta.',
  'Đến chiều cùng ngày, lực lượng chức năng vẫn đang tiếp tục khắc phục hậu quả và hỗ trợ người dân.',
];

/** A typical news item: one or two agencies, mostly ordinary prose. */
function typical(i: number): { title: string; sapo: string; body: string; publishedAt: string } {
  const parts: string[] = [];
  let len = 0;
  let k = i;
  while (len < 3600) {
    const s = plainSentences[k++ % plainSentences.length]!;
    parts.push(s);
    len += s.length + 1;
  }
  parts.splice(
    2,
    0,
    'Trao đổi với phóng viên, đại diện UBND xã Tân Hội cho biết đã báo cáo Sở Xây dựng xem xét.',
  );
  const paras: string[] = [];
  for (let p = 0; p < parts.length; p += 3) paras.push(parts.slice(p, p + 3).join(' '));
  return {
    title: `Đường giao thông nông thôn xuống cấp nghiêm trọng (${i})`,
    sapo: 'Nhiều tuyến đường ở An Giang hư hỏng sau mùa mưa, người dân mong sớm được sửa chữa.',
    body: paras.join('\n\n'),
    publishedAt: '2026-11-20T08:30:00+07:00',
  };
}

function article(i: number): { title: string; sapo: string; body: string; publishedAt: string } {
  const parts: string[] = [];
  let len = 0;
  let k = i;
  while (len < 3600) {
    const s = sentences[k++ % sentences.length]!;
    parts.push(s);
    len += s.length + 1;
  }
  const paras: string[] = [];
  for (let p = 0; p < parts.length; p += 3) paras.push(parts.slice(p, p + 3).join(' '));
  return {
    title: `Sở Y tế An Giang cảnh báo dịch bệnh sau mưa lũ (${i})`,
    sapo: '(AG) - UBND tỉnh An Giang vừa có văn bản chỉ đạo các sở, ngành và địa phương chủ động phòng chống dịch.',
    body: paras.join('\n\n'),
    publishedAt: i % 2 ? '2026-11-20T08:30:00+07:00' : '2024-03-02T08:30:00+07:00',
  };
}

const c0 = cpu();
let t = performance.now();
const reg = loadRegistry();
const loadWall = performance.now() - t;
const loadCpu = cpu() - c0;
const c1 = cpu();
t = performance.now();
const linker = createLinker(reg);
const buildWall = performance.now() - t;
const buildCpu = cpu() - c1;

function run(make: (i: number) => ReturnType<typeof article>): Record<string, number> {
  const docs = Array.from({ length: 200 }, (_, i) => make(i));
  const avgBytes = docs.reduce((s, d) => s + Buffer.byteLength(d.title + d.sapo + d.body), 0) / docs.length;
  for (let i = 0; i < 200; i++) linker.link(docs[i % docs.length]!); // warm-up
  let tags = 0;
  const c = cpu();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) tags += linker.link(docs[i % docs.length]!).agencies.length;
  const wall = performance.now() - t0;
  const cpuMs = cpu() - c;
  return {
    articles: N,
    avgBytes: Math.round(avgBytes),
    tagsPerArticle: +(tags / N).toFixed(2),
    articlesPerSecWall: Math.round((N / wall) * 1000),
    articlesPerSecCpu: Math.round((N / cpuMs) * 1000),
  };
}

const report = {
  registry: { agencies: reg.agencies.size, loadWallMs: Math.round(loadWall), loadCpuMs: Math.round(loadCpu) },
  linker: {
    ...linker.stats,
    buildMs: Math.round(linker.stats.buildMs),
    buildWallMs: Math.round(buildWall),
    buildCpuMs: Math.round(buildCpu),
  },
  typical: run(typical),
  dense: run(article),
};
process.stdout.write(JSON.stringify(report, null, 1) + '\n');
