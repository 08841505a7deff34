import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../config/load.ts';
import { fromRoot } from '../../lib/paths.ts';

// No Docker engine exists on these machines, so the production file is checked as data.
// Compose resolves YAML merge keys (`<<: *es-node`), so the test does too.
const compose = parse(readFileSync(fromRoot('docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      profiles?: string[];
      environment?: string[] | Record<string, string>;
      depends_on?: Record<string, { condition: string; required?: boolean }>;
      volumes?: string[];
      networks?: { default?: { aliases?: string[] } };
    }
  >;
};
const envExample = readFileSync(fromRoot('.env.example'), 'utf8');
const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { dependencies: Record<string, string> };
const env = (service: string): Record<string, string> => {
  const e = compose.services[service]?.environment ?? [];
  return Array.isArray(e) ? Object.fromEntries(e.map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)])) : e;
};

describe('docker-compose.yml', () => {
  it('has Elasticsearch, Kibana and the app', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['elasticsearch', 'kibana', 'app']));
    expect(compose.services.app?.build).toBeDefined();
  });

  it('runs the same Elasticsearch version as the local node, with a matching client major', () => {
    const version = loadConfig({ env: {} }).localNode.version;
    expect(compose.services.elasticsearch?.image).toBe(`docker.elastic.co/elasticsearch/elasticsearch:${version}`);
    expect(compose.services.kibana?.image).toBe(`docker.elastic.co/kibana/kibana:${version}`);
    expect(pkg.dependencies['@elastic/elasticsearch']?.split('.')[0]).toBe(version.split('.')[0]);
  });

  it('turns security on and takes the password from .env', () => {
    expect(env('elasticsearch')['xpack.security.enabled']).toBe('true');
    expect(env('elasticsearch').ELASTIC_PASSWORD).toMatch(/^\$\{ELASTIC_PASSWORD:\?/);
    expect(env('app').ELASTICSEARCH_URL).toBe('http://elasticsearch:9200');
    expect(env('app').ELASTICSEARCH_PASSWORD).toMatch(/^\$\{ELASTIC_PASSWORD/);
  });

  it('documents every variable it references in .env.example', () => {
    const text = readFileSync(fromRoot('docker-compose.yml'), 'utf8');
    const referenced = new Set([...text.matchAll(/(?<!\$)\$\{([A-Z_]+)/g)].map((m) => m[1]!));
    expect(referenced.size).toBeGreaterThan(3);
    for (const name of referenced) expect(envExample).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it('passes only settings the app understands', () => {
    const known = /^(ELASTICSEARCH_(URL|USERNAME|PASSWORD|API_KEY)|MONITOR_[A-Z_]+|LOG_LEVEL|SMTP_[A-Z_]+)$/;
    for (const name of Object.keys(env('app'))) expect(name).toMatch(known);
    // And the app's config accepts them.
    expect(() => loadConfig({ env: { ELASTICSEARCH_URL: 'http://elasticsearch:9200', ELASTICSEARCH_USERNAME: 'elastic', ELASTICSEARCH_PASSWORD: 'x', MONITOR_ES_REPLICAS: '1' } })).not.toThrow();
  });

  it('has a three-node cluster profile, never started together with the single node', () => {
    const nodes = ['es01', 'es02', 'es03'];
    const version = loadConfig({ env: {} }).localNode.version;
    expect(compose.services.elasticsearch?.profiles).toEqual(['single']);
    for (const n of nodes) {
      const svc = compose.services[n]!;
      expect(svc.profiles).toEqual(['cluster']);
      expect(svc.image).toBe(`docker.elastic.co/elasticsearch/elasticsearch:${version}`);
      const e = env(n);
      expect(e['node.name']).toBe(n);
      expect(e['discovery.seed_hosts']!.split(',')).toEqual(nodes);
      expect(e['cluster.initial_master_nodes']!.split(',')).toEqual(nodes);
      expect(e['xpack.security.enabled']).toBe('true');
      // Elasticsearch refuses to form a secured cluster without TLS between nodes.
      expect(e['xpack.security.transport.ssl.enabled']).toBe('true');
      expect(e['xpack.security.transport.ssl.certificate']).toBe(`certs/${n}/${n}.crt`);
      expect(svc.depends_on?.certs?.condition).toBe('service_completed_successfully');
      // Kibana, the setup job and the app reach whichever profile runs by one name.
      expect(svc.networks?.default?.aliases).toContain('elasticsearch');
      expect(svc.volumes?.some((v) => v.startsWith(`esdata${n.slice(2)}:`))).toBe(true);
    }
    expect(compose.services.certs?.profiles).toEqual(['cluster']);
    expect(compose.services.setup?.depends_on?.elasticsearch?.required).toBe(false);
    expect(compose.services.setup?.depends_on?.es01?.required).toBe(false);
    expect(envExample).toMatch(/^COMPOSE_PROFILES=single$/m);
  });
});
