import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` needs no server; `integration` runs against a real Elasticsearch that
 * test/setup/elasticsearch.ts starts (or reuses via ELASTICSEARCH_URL) once for the whole run.
 */
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/elasticsearch.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // One Elasticsearch node and two cores: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
