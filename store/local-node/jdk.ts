import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Jdk {
  home: string;
  major: number;
}

const MIN_MAJOR = 17;

function majorOf(home: string): number | null {
  const release = join(home, 'release');
  if (!existsSync(join(home, 'bin', 'java')) || !existsSync(release)) return null;
  const m = /^JAVA_VERSION="(\d+)/m.exec(readFileSync(release, 'utf8'));
  return m ? Number(m[1]) : null;
}

/**
 * Elasticsearch 8.19 runs on JDK 17 to 25 and needs a full JDK (its entitlement agent uses jdk.attach).
 * ES_JAVA_HOME wins; otherwise the newest JDK ≥ 17 under /usr/lib/jvm.
 */
export function findJdk(explicit?: string, searchDir = '/usr/lib/jvm'): Jdk {
  if (explicit) {
    const major = majorOf(explicit);
    if (major === null) throw new Error(`ES_JAVA_HOME=${explicit} is not a JDK (no bin/java or release file)`);
    if (major < MIN_MAJOR) throw new Error(`ES_JAVA_HOME=${explicit} is Java ${major}; Elasticsearch 8.19 needs ${MIN_MAJOR} or newer`);
    return { home: explicit, major };
  }
  const candidates: Jdk[] = [];
  if (existsSync(searchDir)) {
    for (const name of readdirSync(searchDir)) {
      const home = join(searchDir, name);
      const major = majorOf(home);
      if (major !== null && major >= MIN_MAJOR && major <= 25) candidates.push({ home, major });
    }
  }
  candidates.sort((a, b) => b.major - a.major || a.home.localeCompare(b.home));
  const best = candidates[0];
  if (!best) {
    throw new Error(
      `no JDK ${MIN_MAJOR}–25 found under ${searchDir}; install one (apt-get install openjdk-17-jdk-headless) or set ES_JAVA_HOME`,
    );
  }
  return best;
}
