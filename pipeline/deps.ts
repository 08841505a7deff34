import { createLinker } from './agencies/link.ts';
import { loadRegistry } from './agencies/registry/load.ts';
import type { PipelineDeps } from './process.ts';
import { createSensitivityScorer } from './sensitivity/index.ts';
import { MemoryCopyStore, type CopyStore } from './stories/copies.ts';
import { MemoryStoryStore, type StoryStore } from './stories/stories.ts';
import type { Store } from '../store/es.ts';
import { EsCopyStore, EsStoryStore, LayeredCopyStore, LayeredStoryStore } from '../store/pipeline-stores.ts';

/**
 * The pipeline's dependencies. Without a store everything is in memory (a batch clusters within itself);
 * with one, copies and stories are looked up in Elasticsearch too. `readOnly` keeps the index untouched
 * (as `monitor tag --index` does): new stories then live in memory only.
 */
export async function createPipelineDeps(opts: { store: Store | null; readOnly?: boolean; now?: () => Date }): Promise<PipelineDeps> {
  const linker = createLinker(loadRegistry());
  const scorer = createSensitivityScorer();
  let copies: CopyStore = new MemoryCopyStore();
  let stories: StoryStore = new MemoryStoryStore();
  if (opts.store) {
    const esCopies = new EsCopyStore(opts.store);
    const esStories = new EsStoryStore(opts.store);
    copies = new LayeredCopyStore(esCopies, copies);
    stories = new LayeredStoryStore(esStories, stories, !opts.readOnly);
  }
  return { linker, scorer, copies, stories, now: opts.now ?? (() => new Date()) };
}
