/** Digest charts rendered on the server to SVG strings (echarts SSR: no DOM, no browser). */
import * as echarts from 'echarts';
import { LEVEL_LABEL } from '../labels.ts';
import type { DigestFigures } from './model.ts';

export interface DigestCharts {
  byOutlet: string;
  byLevel: string;
  byAgency: string;
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
    byOutlet: bars('Số tin theo cơ quan báo chí', f.byOutlet, '#1565c0'),
    byAgency: bars('Số tin theo cơ quan được nhắc đến', f.byAgency, '#2e7d32'),
    byLevel: render(
      {
        title: { text: 'Số tin theo mức độ nhạy cảm', left: 'center', textStyle: { fontSize: 14, fontFamily: FONT } },
        color: ['#b71c1c', '#ef6c00', '#78909c'],
        series: [{ type: 'pie', radius: ['35%', '65%'], top: 24, data: levels, label: { formatter: '{b}: {c}' } }],
      },
      560,
      240,
    ),
  };
}
