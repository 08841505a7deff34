import { describe, expect, inject, it } from 'vitest';
import { runMonitor } from '../helpers/cli.ts';

describe('monitor es', () => {
  it('status reports the version and health of the running node', async () => {
    const res = await runMonitor(['es', 'status'], { env: { ELASTICSEARCH_URL: inject('esUrl') } });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^version: 8\.19\.\d+$/m);
    expect(res.stdout).toMatch(/^health: {2}(green|yellow)$/m);
  });

  it('fails cleanly with the URL and a hint when Elasticsearch is unreachable', async () => {
    const url = 'http://127.0.0.1:9';
    const res = await runMonitor(['es', 'migrate'], { env: { ELASTICSEARCH_URL: url } });
    expect(res.code).toBe(3);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`Elasticsearch is unreachable at ${url}`);
    expect(res.stderr).toMatch(/Hint: .*ELASTICSEARCH_URL/);
    expect(res.stderr).not.toMatch(/^\s+at /m);
  });

  it('rejects an invalid setting naming the field', async () => {
    const res = await runMonitor(['es', 'status'], { env: { MONITOR_ES_PORT: '99999' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/localNode\.port \(from MONITOR_ES_PORT\)/);
  });

  it('has --help for every subcommand', async () => {
    for (const sub of ['start', 'stop', 'status', 'migrate']) {
      const res = await runMonitor(['es', sub, '--help']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`Usage: monitor es ${sub}`);
    }
  });
});
