import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RejectedOp, RejectSink, WriteOp } from './bulk-writer.ts';

/**
 * Rejected documents are appended to a JSONL file with the reason, so that nothing is dropped silently:
 * after the cause is fixed (usually a mapping), `drain()` hands them back for another write.
 */
export class RejectFile implements RejectSink {
  constructor(readonly path: string) {}

  async add(rejected: RejectedOp[]): Promise<void> {
    if (rejected.length === 0) return;
    await mkdir(dirname(this.path), { recursive: true });
    const at = new Date().toISOString();
    await appendFile(this.path, rejected.map((r) => JSON.stringify({ at, ...r })).join('\n') + '\n');
  }

  async read(): Promise<Array<RejectedOp & { at: string }>> {
    const text = await readFile(this.path, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as RejectedOp & { at: string });
  }

  /** Take every kept operation out of the file (the caller writes them again; failures come back here). */
  async drain(): Promise<WriteOp[]> {
    const entries = await this.read();
    await rm(this.path, { force: true });
    return entries.map((e) => e.op);
  }
}
