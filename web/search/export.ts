/** Streamed CSV and XLSX bodies: rows are written as they arrive from Elasticsearch, never all in memory. */
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';

export interface Column<R> {
  key: keyof R & string;
  header: string;
  width?: number;
}

/** Cells starting with = + - @ are prefixed with ' so spreadsheets do not run them as formulas. */
const defuse = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function csvCell(v: unknown): string {
  const s = defuse(String(v ?? ''));
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvStream<R>(columns: Column<R>[], rows: AsyncIterable<R>): Readable {
  async function* lines() {
    // BOM: Excel opens UTF-8 CSV with Vietnamese letters correctly only with it.
    yield `\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`;
    for await (const r of rows) yield `${columns.map((c) => csvCell(r[c.key])).join(',')}\r\n`;
  }
  return Readable.from(lines());
}

export function xlsxStream<R>(sheetName: string, columns: Column<R>[], rows: AsyncIterable<R>, onError: (err: unknown) => void): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName);
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 20 }));
  ws.getRow(1).font = { bold: true };
  (async () => {
    for await (const r of rows) {
      const values: Record<string, unknown> = {};
      for (const c of columns) values[c.key] = typeof r[c.key] === 'string' ? defuse(r[c.key] as string) : r[c.key];
      ws.addRow(values).commit();
    }
    ws.commit();
    await wb.commit();
  })().catch((err) => {
    onError(err);
    out.destroy(err as Error);
  });
  return out;
}
