import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../lib/log.ts';

const run = promisify(execFile);

export const MAVEN_GROUP = 'org.elasticsearch.distribution.integ-test-zip';
export const MAVEN_ARTIFACT = 'elasticsearch';

/** Maven's own local repository: it survives fresh clones on the same machine, so CI downloads the zip once. */
export function mavenZipPath(version: string, m2 = join(homedir(), '.m2', 'repository')): string {
  return join(m2, ...MAVEN_GROUP.split('.'), MAVEN_ARTIFACT, version, `${MAVEN_ARTIFACT}-${version}.zip`);
}

async function downloadZip(version: string, log: Logger): Promise<string> {
  const explicit = process.env.MONITOR_ES_ZIP;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`MONITOR_ES_ZIP=${explicit} does not exist`);
    return explicit;
  }
  const zip = mavenZipPath(version);
  if (existsSync(zip)) return zip;
  const artifact = `${MAVEN_GROUP}:${MAVEN_ARTIFACT}:${version}:zip`;
  log.info({ artifact }, 'downloading the Elasticsearch minimal distribution with Maven (once; cached in ~/.m2)');
  try {
    await run('mvn', ['-B', '-q', 'dependency:get', `-Dartifact=${artifact}`, '-Dtransitive=false'], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error('Maven (mvn) is not installed: apt-get install maven, or set MONITOR_ES_ZIP to a downloaded zip');
    }
    const detail = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`could not download ${artifact} with Maven:\n${detail}`);
  }
  if (!existsSync(zip)) throw new Error(`Maven reported success but ${zip} is missing`);
  return zip;
}

/**
 * Make sure `<home>/elasticsearch-<version>` holds the unpacked distribution. Unpacks into a temporary
 * folder first so an interrupted run never leaves a half-unpacked server behind.
 */
export async function ensureDistribution(version: string, home: string, log: Logger): Promise<string> {
  const esHome = join(home, `elasticsearch-${version}`);
  if (existsSync(join(esHome, 'bin', 'elasticsearch'))) return esHome;
  const zip = await downloadZip(version, log);
  mkdirSync(home, { recursive: true });
  const tmp = join(home, `.unpack-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  log.info({ zip, into: esHome }, 'unpacking Elasticsearch');
  try {
    await run('unzip', ['-q', zip, '-d', tmp]);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new Error('unzip is not installed: apt-get install unzip');
    throw new Error(`could not unpack ${zip}: ${e.message}`);
  }
  rmSync(esHome, { recursive: true, force: true });
  renameSync(join(tmp, `elasticsearch-${version}`), esHome);
  rmSync(tmp, { recursive: true, force: true });
  return esHome;
}
