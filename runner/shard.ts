import { createHash } from 'node:crypto';
import { z } from 'zod';

/** `--shard i/n`: this worker takes the i-th of n disjoint parts of the sources (1-based). */
export const Shard = z
  .string()
  .regex(/^\d+\/\d+$/, 'a shard like 1/2 (this worker / number of workers)')
  .transform((s) => {
    const [index, count] = s.split('/').map(Number) as [number, number];
    return { index, count };
  })
  .refine((s) => s.count >= 1 && s.index >= 1 && s.index <= s.count, 'the shard number must be between 1 and the number of workers');
export type Shard = z.output<typeof Shard>;

/**
 * Which shard owns a source: a hash of its id, so every worker agrees without talking to the others and a
 * source keeps its shard while the worker count stays the same (its crawl state stays with one worker).
 */
export function shardOf(sourceId: string, count: number): number {
  return (createHash('sha256').update(sourceId).digest().readUInt32BE(0) % count) + 1;
}

export function inShard<T extends { id: string }>(sources: T[], shard: Shard | undefined): T[] {
  return shard ? sources.filter((s) => shardOf(s.id, shard.count) === shard.index) : sources;
}
