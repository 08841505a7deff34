import { execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/log.ts';
import { fromRoot } from '../../lib/paths.ts';
import { ensureDistribution } from './distribution.ts';
import { findJdk } from './jdk.ts';

const run = promisify(execFile);
const ES_USER = 'press-monitor-es';
const CLUSTER_NAME = 'press-monitor-local';

export interface LocalNodePaths {
  home: string;
  data: string;
  logs: string;
  pidFile: string;
  logFile: string;
  launchLog: string;
}

export interface NodeStatus {
  url: string;
  up: boolean;
  version: string | null;
  health: string | null;
  nodes: number | null;
  /** Present when this project started the node (pid file found). */
  pid: number | null;
  logFile: string | null;
  error?: string;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Every folder up to / must be enterable by others, or the unprivileged ES user cannot reach its home. */
function traversableByOthers(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

export function localNodePaths(config: Config): LocalNodePaths {
  let home = config.localNode.home ?? fromRoot('.cache', 'elasticsearch');
  if (!config.localNode.home && isRoot() && !traversableByOthers(home)) home = '/var/tmp/press-monitor-es';
  const logs = join(home, `logs-${config.localNode.port}`);
  return {
    home,
    data: join(home, `data-${config.localNode.port}`),
    logs,
    pidFile: join(home, `node-${config.localNode.port}.pid`),
    logFile: join(logs, `${CLUSTER_NAME}.log`),
    launchLog: join(logs, 'launch.log'),
  };
}

export function localNodeUrl(config: Config): string {
  return `http://127.0.0.1:${config.localNode.port}`;
}

function readPid(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function getJson(url: string, timeoutMs: number): Promise<{ status: number; body: unknown; product: string | null }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, body, product: res.headers.get('x-elastic-product') };
}

/** Health and version of whatever answers at `url` (works on the minimal distribution, where GET / is 405). */
export async function probeNode(url: string, timeoutMs = 3000): Promise<Omit<NodeStatus, 'pid' | 'logFile'>> {
  try {
    const health = await getJson(`${url}/_cluster/health`, timeoutMs);
    if (health.status !== 200 || health.product !== 'Elasticsearch') {
      return { url, up: false, version: null, health: null, nodes: null, error: `HTTP ${health.status} from ${url}` };
    }
    const h = health.body as { status: string; number_of_nodes: number };
    const nodes = await getJson(`${url}/_nodes/_local?filter_path=nodes.*.version`, timeoutMs);
    const versions = Object.values((nodes.body as { nodes?: Record<string, { version: string }> }).nodes ?? {});
    return { url, up: true, version: versions[0]?.version ?? null, health: h.status, nodes: h.number_of_nodes };
  } catch (err) {
    return { url, up: false, version: null, health: null, nodes: null, error: (err as Error).message };
  }
}

export async function localNodeStatus(config: Config): Promise<NodeStatus> {
  const paths = localNodePaths(config);
  const probe = await probeNode(localNodeUrl(config));
  return { ...probe, pid: readPid(paths.pidFile), logFile: existsSync(paths.logFile) ? paths.logFile : null };
}

async function ensureUser(): Promise<void> {
  try {
    await run('id', ['-u', ES_USER]);
  } catch {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ES_USER]);
  }
}

function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export class LocalNodeError extends Error {}

/**
 * Start the project's own single Elasticsearch node on 127.0.0.1, or reuse one already answering on the
 * port. Downloads and unpacks the minimal distribution on first use. Returns the node's URL and whether
 * this call started it (so the caller knows whether to stop it).
 */
export async function startLocalNode(config: Config, log: Logger): Promise<{ url: string; started: boolean }> {
  const url = localNodeUrl(config);
  const existing = await probeNode(url);
  if (existing.up) {
    log.info({ url, version: existing.version }, 'reusing the Elasticsearch node already running');
    return { url, started: false };
  }
  const paths = localNodePaths(config);
  const esHome = await ensureDistribution(config.localNode.version, paths.home, log);
  const jdk = findJdk(config.localNode.javaHome);
  mkdirSync(paths.data, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  rmSync(paths.pidFile, { force: true });

  const settings: Record<string, string | number | boolean> = {
    'cluster.name': CLUSTER_NAME,
    'node.name': `local-${config.localNode.port}`,
    'discovery.type': 'single-node',
    'network.host': '127.0.0.1',
    'http.port': config.localNode.port,
    'transport.port': config.localNode.transportPort,
    'path.data': paths.data,
    'path.logs': paths.logs,
    // The minimal distribution ships x-pack security, on by default; locally the node is loopback-only.
    'xpack.security.enabled': false,
    // Small or nearly full disks must not block shard allocation on a development machine.
    'cluster.routing.allocation.disk.watermark.low': '1b',
    'cluster.routing.allocation.disk.watermark.high': '1b',
    'cluster.routing.allocation.disk.watermark.flood_stage': '1b',
    'action.destructive_requires_name': false,
    'indices.breaker.total.use_real_memory': false,
  };
  const args = ['-d', '-p', paths.pidFile, ...Object.entries(settings).map(([k, v]) => `-E${k}=${v}`)];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ES_JAVA_HOME: jdk.home,
    ES_JAVA_OPTS: `-Xms${config.localNode.heap} -Xmx${config.localNode.heap}`,
    ES_PATH_CONF: join(esHome, 'config'),
  };
  delete env.JAVA_HOME;
  delete env.JAVA_TOOL_OPTIONS;

  let command = join(esHome, 'bin', 'elasticsearch');
  let commandArgs = args;
  if (isRoot()) {
    // Elasticsearch refuses to run as root.
    await ensureUser();
    await run('chown', ['-R', `${ES_USER}:`, paths.home]);
    commandArgs = ['-u', ES_USER, '--', command, ...args];
    command = 'runuser';
  } else {
    accessSync(paths.home, constants.W_OK);
  }
  log.info({ url, esHome, jdk: jdk.home, heap: config.localNode.heap }, 'starting Elasticsearch');
  const out = openSync(paths.launchLog, 'a');
  const child = spawn(command, commandArgs, { env, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  const exitCode = await new Promise<number | null>((res) => child.on('exit', res));
  if (exitCode !== 0) {
    throw new LocalNodeError(
      `Elasticsearch failed to start (exit ${exitCode}); see ${paths.logFile} and ${paths.launchLog}\n${tail(paths.launchLog)}`,
    );
  }
  const deadline = Date.now() + config.localNode.startTimeoutMs;
  while (Date.now() < deadline) {
    const probe = await probeNode(url);
    if (probe.up && probe.health !== 'red') {
      log.info({ url, version: probe.version, health: probe.health }, 'Elasticsearch is up');
      return { url, started: true };
    }
    if (existsSync(paths.pidFile) && readPid(paths.pidFile) === null) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new LocalNodeError(
    `Elasticsearch did not become healthy at ${url} within ${config.localNode.startTimeoutMs / 1000}s; see ${paths.logFile}\n${tail(paths.logFile)}`,
  );
}

/** Stop the node this project started (found by its pid file). Returns false when none was running. */
export async function stopLocalNode(config: Config, log: Logger): Promise<boolean> {
  const paths = localNodePaths(config);
  const pid = readPid(paths.pidFile);
  if (pid === null) return false;
  log.info({ pid }, 'stopping Elasticsearch');
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(paths.pidFile, { force: true });
      return true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.kill(pid, 'SIGKILL');
  rmSync(paths.pidFile, { force: true });
  return true;
}
