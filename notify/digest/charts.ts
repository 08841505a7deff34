/**
 * Digest charts rendered on the server to SVG strings (echarts SSR: no DOM, no browser); the DOCX and the
 * e-mail get them rasterized to PNG by the digest's Chromium.
 */
import * as echarts from 'echarts';
import { LEVEL_LABEL } from '../labels.ts';
import type { DigestFigures } from './model.ts';
import type { DigestBrowser } from './pdf.ts';

export interface DigestCharts {
  byOutlet: string;
  byLevel: string;
  byAgency: string;
}

/** Order and titles of the charts wherever they appear (HTML, DOCX, e-mail). */
export const CHART_TITLES: Record<keyof DigestCharts, string> = {
  byLevel: 'Số tin theo mức độ nhạy cảm',
  byOutlet: 'Số tin theo cơ quan báo chí',
  byAgency: 'Số tin theo cơ quan được nhắc đến',
};
export const CHART_ORDER = ['byLevel', 'byOutlet', 'byAgency'] as const satisfies ReadonlyArray<keyof DigestCharts>;

export interface ChartImage {
  key: keyof DigestCharts;
  title: string;
  png: Buffer;
  /** Nominal size in CSS pixels (the PNG itself is larger, for print). */
  width: number;
  height: number;
}

/** width/height attributes of the root <svg> (echarts SSR always writes them). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0] ?? '';
  const num = (attr: string) => Number(new RegExp(`\\b${attr}="([\\d.]+)(?:px)?"`).exec(root)?.[1] ?? NaN);
  const width = num('width');
  const height = num('height');
  if (!Number.isFinite(width) || !Number.isFinite(height)) throw new Error('SVG without numeric width/height');
  return { width, height };
}

const FONT = 'Arial, "DejaVu Sans", sans-serif';

function render(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function bars(title: string, rows: Array<[string, number]>, color: string): string {
  const top = rows.slice(0, 10).reverse();
  return render(
    {
      title: { text: title, left: 'center', textStyle: { fontSize: 14, fontFamily: FONT } },
      grid: { left: 8, right: 32, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: top.map(([k]) => (k.length > 38 ? `${k.slice(0, 37)}…` : k)), axisLabel: { fontSize: 11 } },
      series: [{ type: 'bar', data: top.map(([, v]) => v), itemStyle: { color }, label: { show: true, position: 'right' } }],
    },
    560,
    Math.max(140, 60 + top.length * 26),
  );
}

export function renderCharts(f: DigestFigures): DigestCharts {
  const levels = (['hot', 'sensitive', 'normal'] as const).map((l) => ({ name: LEVEL_LABEL[l], value: f.byLevel[l] }));
  return {
    byOutlet: bars(CHART_TITLES.byOutlet, f.byOutlet, '#1565c0'),
    byAgency: bars(CHART_TITLES.byAgency, f.byAgency, '#2e7d32'),
    byLevel: render(
      {
        title: { text: CHART_TITLES.byLevel, left: 'center', textStyle: { fontSize: 14, fontFamily: FONT } },
        color: ['#b71c1c', '#ef6c00', '#78909c'],
        series: [{ type: 'pie', radius: ['35%', '65%'], top: 24, data: levels, label: { formatter: '{b}: {c}' } }],
      },
      560,
      240,
    ),
  };
}

/** The charts as PNGs, in display order, for documents and mail clients that cannot show inline SVG. */
export async function rasterizeCharts(charts: DigestCharts, browser: DigestBrowser): Promise<ChartImage[]> {
  const out: ChartImage[] = [];
  for (const key of CHART_ORDER) {
    const svg = charts[key];
    out.push({ key, title: CHART_TITLES[key], png: await browser.svgToPng(svg), ...svgSize(svg) });
  }
  return out;
}
