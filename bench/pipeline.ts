import { createLinker } from '../pipeline/agencies/link.ts';
import { loadRegistry } from '../pipeline/agencies/registry/load.ts';
import { createSensitivityScorer } from '../pipeline/sensitivity/index.ts';
import { detectCopy, MemoryCopyStore } from '../pipeline/stories/copies.ts';
import { assignStory, MemoryStoryStore } from '../pipeline/stories/stories.ts';
import { loadContent } from '../test/fixtures/news-web/content.ts';
import { fmt, type BenchRow } from './table.ts';

/** ~4 KB articles built from the sample web's text (real Vietnamese news prose with agency names). */
function corpus(n: number) {
  const content = loadContent();
  const out: Array<{ id: string; title: string; sapo: string | null; body: string; publishedAt: string }> = [];
  for (let i = 0; out.length < n; i++) {
    const a = content[i % content.length]!;
    let body = a.body.join('\n\n');
    for (let k = 1; body.length < 3600; k++) body += `\n\n${content[(i + k * 7) % content.length]!.body[0]}`;
    out.push({ id: `${a.id}-${i}`, title: a.title, sapo: a.sapo, body: body.slice(0, 4000), publishedAt: a.publishedAt });
  }
  return out;
}

function rate(count: number, run: () => void): number {
  const t = performance.now();
  run();
  return count / ((performance.now() - t) / 1000);
}

/**
 * Wall-clock and CPU-time rates of one single-threaded loop. The CPU figure (user + system time of this
 * process, so garbage collection on helper threads counts too) is the per-core rate: unlike wall-clock time
 * it does not drop when other jobs share the machine's cores.
 */
function rates(count: number, run: () => void): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  run();
  const wallS = (performance.now() - t) / 1000;
  const used = process.cpuUsage(c);
  return { wall: count / wallS, cpu: count / ((used.user + used.system) / 1e6) };
}

export async function benchPipeline(): Promise<BenchRow[]> {
  if (global.gc) global.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const registry = loadRegistry(undefined, { fresh: true });
  const loadMs = performance.now() - t0;
  const linker = createLinker(registry);
  const buildMs = performance.now() - t0 - loadMs;
  const registryMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

  const articles = corpus(3000);
  const avgKb = articles.reduce((n, a) => n + a.title.length + (a.sapo?.length ?? 0) + a.body.length, 0) / articles.length / 1024;
  rate(300, () => articles.slice(0, 300).forEach((a) => linker.link(a)));
  const tag = rates(articles.length, () => articles.forEach((a) => linker.link(a)));
  const asWritten = loadContent().map((a) => ({ title: a.title, sapo: a.sapo, body: a.body.join('\n\n'), publishedAt: a.publishedAt }));
  const writtenKb = asWritten.reduce((n, a) => n + a.title.length + (a.sapo?.length ?? 0) + a.body.length, 0) / asWritten.length / 1024;
  const written = rates(asWritten.length * 5, () => {
    for (let r = 0; r < 5; r++) asWritten.forEach((a) => linker.link(a));
  });

  const scorer = createSensitivityScorer();
  const tagged = articles.map((a) => ({ ...a, agencies: linker.link(a).agencies }));
  rate(300, () => tagged.slice(0, 300).forEach((a) => scorer.score({ ...a, agencies: a.agencies.map((g) => ({ id: g.id, mentions: g.mentions })) })));
  const sensRate = rate(tagged.length, () =>
    tagged.forEach((a) => scorer.score({ ...a, agencies: a.agencies.map((g) => ({ id: g.id, mentions: g.mentions })) })),
  );

  const copies = new MemoryCopyStore();
  const stories = new MemoryStoryStore();
  const t = performance.now();
  for (const a of tagged) {
    const copy = await detectCopy(a, copies);
    await assignStory(
      { ...a, sourceId: 'bench', fetchedAt: a.publishedAt, agencyIds: a.agencies.map((g) => g.id), provinces: [], level: 'normal', duplicateOf: copy.duplicateOf },
      stories,
    );
  }
  const clusterRate = tagged.length / ((performance.now() - t) / 1000);
  const combined = 1 / (1 / sensRate + 1 / clusterRate);

  return [
    { area: 'tagging', metric: `registry load, ms (${registry.agencies.size} agencies)`, value: fmt(loadMs, 0), goal: '-', ok: null },
    { area: 'tagging', metric: 'matcher build, ms', value: fmt(buildMs, 0), goal: '-', ok: null },
    { area: 'tagging', metric: 'registry + matcher heap, MB', value: fmt(registryMb, 0), goal: '-', ok: null },
    { area: 'tagging', metric: `articles per CPU-second (per core), ~${fmt(avgKb, 1)} KB padded with other articles' paragraphs (many agencies)`, value: fmt(tag.cpu, 0), goal: '≥ 2000', ok: tag.cpu >= 2000 },
    { area: 'tagging', metric: 'articles/s wall clock, same articles (lower when other jobs share the cores)', value: fmt(tag.wall, 0), goal: '-', ok: null },
    { area: 'tagging', metric: `articles per CPU-second (per core), sample articles as written (~${fmt(writtenKb, 1)} KB)`, value: fmt(written.cpu, 0), goal: '-', ok: null },
    { area: 'tagging', metric: 'articles/s wall clock, sample articles as written', value: fmt(written.wall, 0), goal: '-', ok: null },
    { area: 'sensitivity', metric: 'articles/s, sensitivity', value: fmt(sensRate, 0), goal: '-', ok: null },
    { area: 'sensitivity', metric: 'articles/s, copies + stories (in memory)', value: fmt(clusterRate, 0), goal: '-', ok: null },
    { area: 'sensitivity', metric: 'articles/s, sensitivity + copies + stories', value: fmt(combined, 0), goal: '-', ok: null },
  ];
}
