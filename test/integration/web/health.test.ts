import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../../store/spool.ts';
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
      expect(res.json()).toMatchObject({ ok: true, elasticsearch: expect.stringMatching(/^(green|yellow)$/), spool: { records: 0, oldestAt: null, deadSegments: 0 } });
    } finally {
      await fixture.close();
    }
  });

  it('answers 503 when Elasticsearch is unreachable, with what waits in the outage spool', async () => {
    const config = testConfig();
    const client = createClient('http://127.0.0.1:9', config);
    const store = { client, url: 'http://127.0.0.1:9', names: new IndexNames('down', loadIndexDefinitions()), startedLocalNode: false, close: () => client.close() };
    // The monitor (another process) spooled one record while Elasticsearch was away.
    const storageDir = mkdtempSync(join(tmpdir(), 'health-'));
    const spool = Spool.open(storageDir, testLog, () => new Date('2026-11-21T02:00:00Z'));
    spool.append([{ index: 'down-articles', id: 'a1', mode: 'upsert', doc: { title: 'Bài chờ ghi' } }]);
    spool.close();
    const { app } = await buildApp({ store, clock: () => new Date(), log: testLog, storageDir, crawlStateDirs: [] });
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ ok: false, elasticsearch: 'unreachable', spool: { records: 1, oldestAt: '2026-11-21T02:00:00.000Z', deadSegments: 0 } });
    } finally {
      await app.close();
      await client.close();
    }
  });
});
