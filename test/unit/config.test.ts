import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/load.ts';

describe('configuration', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({ env: {} });
    expect(config.elasticsearch.url).toBeUndefined();
    expect(config.elasticsearch.indexPrefix).toBe('pm');
    expect(config.localNode.version).toMatch(/^8\.19\.\d+$/);
  });

  it('names the field and the variable of an invalid environment value', () => {
    expect(() => loadConfig({ env: { MONITOR_ES_PORT: 'chín nghìn' } })).toThrow(/localNode\.port \(from MONITOR_ES_PORT\)/);
    expect(() => loadConfig({ env: { ELASTICSEARCH_URL: 'localhost:9200' } })).toThrow(/elasticsearch\.url \(from ELASTICSEARCH_URL\)/);
    expect(() => loadConfig({ env: { MONITOR_INDEX_PREFIX: 'Bad Prefix' } })).toThrow(ConfigError);
  });

  it('reads a config file, lets the environment override it, and names the file on errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'elasticsearch:\n  indexPrefix: tinh91\nlocalNode:\n  heap: 512m\n');
    const config = loadConfig({ env: { MONITOR_ES_HEAP: '2g' }, file: good });
    expect(config.elasticsearch.indexPrefix).toBe('tinh91');
    expect(config.localNode.heap).toBe('2g');

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'localNode:\n  heap: lots\nunknownKey: 1\n');
    let message = '';
    try {
      loadConfig({ env: {}, file: bad });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/localNode\.heap \(in .*bad\.yaml\): a JVM heap size/);
    expect(message).toMatch(/unknownKey/);
  });

  it('rejects a missing config file clearly', () => {
    expect(() => loadConfig({ env: {}, file: '/nonexistent/monitor.yaml' })).toThrow(/does not exist/);
  });
});
