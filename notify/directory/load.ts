import { readFileSync } from 'node:fs';
import { DataFileError, parseYamlText } from '../../lib/yaml-file.ts';
import { DirectoryFile } from './schema.ts';

/**
 * Read a directory file. YAML is a superset of JSON, so one parser serves both and every problem is
 * reported as `file:line:col: agencies[2].spokespersons[0].email: …`.
 */
export function parseDirectory(file: string, text: string): DirectoryFile {
  return parseYamlText(file, text, DirectoryFile).data;
}

export function loadDirectoryFile(file: string): DirectoryFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataFileError([{ file, line: 0, col: 0, path: '', message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseDirectory(file, text);
}
