import { describe, expect, it } from 'vitest';
import { IndexNames, loadIndexDefinitions } from '../../../index-mappings/definitions.ts';
import { createClient } from '../../../store/es.ts';
import { buildApp } from '../../../web/app.ts';
import { testConfig, testLog } from '../../helpers/es.ts';
import { openWebFixture } from './fixture.ts';

describe('GET /healthz', () => {
  it('reports the Elasticsearch status when it is up', async () => {
    const fixture = await openWebFixture();
    try {
      const res = await fixture.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: true, elasticsearch: expect.stringMatching(/^(green|yellow)$/) });
    } finally {
      await fixture.close();
    }
  });

  it('answers 503 when Elasticsearch is unreachable', async () => {
    const config = testConfig();
    const client = createClient('http://127.0.0.1:9', config);
    const store = { client, url: 'http://127.0.0.1:9', names: new IndexNames('down', loadIndexDefinitions()), startedLocalNode: false, close: () => client.close() };
    const { app } = await buildApp({ store, clock: () => new Date(), log: testLog, storageDir: '/tmp', crawlStateDirs: [] });
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ ok: false, elasticsearch: 'unreachable' });
    } finally {
      await app.close();
      await client.close();
    }
  });
});
