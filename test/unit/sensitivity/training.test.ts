import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DANES_FILE } from '../../../pipeline/sensitivity/dataset.ts';
import { DEFAULT_MODEL_FILE } from '../../../pipeline/sensitivity/index.ts';
import { ModelFile } from '../../../pipeline/sensitivity/schema.ts';
import { trainModel } from '../../../pipeline/sensitivity/train.ts';

describe('training', () => {
  it('the committed model file is valid, versioned and records its inputs', () => {
    const m = ModelFile.parse(JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8')));
    expect(m.version).toMatch(/^1\.1\.0\+[0-9a-f]{12}$/);
    expect(m.trainingSet.trainSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.danes.attribution).toContain('DANeS');
    expect(m.trainingSet.split).toContain('sha256');
  });

  // Training takes 15–40 s on a loaded two-core machine.
  it.skipIf(!existsSync(DEFAULT_DANES_FILE))(
    'is deterministic: training again in this process gives a byte-identical copy of the committed model',
    () => {
      const { json, model } = trainModel();
      const committed = readFileSync(DEFAULT_MODEL_FILE, 'utf8');
      if (json !== committed) {
        throw new Error(
          `pipeline/sensitivity/model/sensitivity-model.json is out of date (trained now: ${model.version}); run: npx tsx pipeline/sensitivity/train.ts`,
        );
      }
      expect(json).toBe(committed);
    },
    300_000,
  );
});
