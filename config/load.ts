import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.ts';

/** Environment variables and the config path each one fills. */
const ENV_MAP: Record<string, string> = {
  ELASTICSEARCH_URL: 'elasticsearch.url',
  ELASTICSEARCH_USERNAME: 'elasticsearch.username',
  ELASTICSEARCH_PASSWORD: 'elasticsearch.password',
  ELASTICSEARCH_API_KEY: 'elasticsearch.apiKey',
  MONITOR_INDEX_PREFIX: 'elasticsearch.indexPrefix',
  MONITOR_ES_TIMEOUT_MS: 'elasticsearch.requestTimeoutMs',
  MONITOR_ES_REPLICAS: 'elasticsearch.replicas',
  MONITOR_ES_SHARDS: 'elasticsearch.shards',
  MONITOR_ES_VERSION: 'localNode.version',
  MONITOR_ES_PORT: 'localNode.port',
  MONITOR_ES_TRANSPORT_PORT: 'localNode.transportPort',
  MONITOR_ES_HEAP: 'localNode.heap',
  MONITOR_ES_HOME: 'localNode.home',
  ES_JAVA_HOME: 'localNode.javaHome',
  MONITOR_STORAGE_DIR: 'storageDir',
  LOG_LEVEL: 'logLevel',
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new ConfigError(`config file ${path} does not exist`);
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid YAML/JSON: ${(err as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a mapping of settings`);
  }
  return parsed as Record<string, unknown>;
}

function describeIssues(error: z.ZodError, origin: (path: string) => string): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.') || '(root)';
      return `  - ${path}${origin(path)}: ${issue.message}`;
    })
    .join('\n');
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Explicit config file; otherwise MONITOR_CONFIG, otherwise none. */
  file?: string;
}

/**
 * One place for configuration: an optional YAML/JSON file overlaid by environment variables,
 * validated once. An invalid value fails fast naming the field, where it came from and what was expected.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.MONITOR_CONFIG;
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};
  const fromEnv = new Map<string, string>();
  for (const [name, path] of Object.entries(ENV_MAP)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      setPath(raw, path, value);
      fromEnv.set(path, name);
    }
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const origin = (path: string) => {
      const envName = fromEnv.get(path);
      if (envName) return ` (from ${envName})`;
      return file ? ` (in ${file})` : '';
    };
    throw new ConfigError(`invalid configuration:\n${describeIssues(result.error, origin)}`);
  }
  return result.data;
}
