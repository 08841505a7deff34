import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOptions, selectSources } from '../../cli/options.ts';
import { UsageError } from '../../cli/run-action.ts';
import { loadSources } from '../../crawlers/sources/load.ts';

describe('command options', () => {
  const Schema = z.object({ webPort: z.coerce.number().int(), since: z.iso.date({ message: '--since must be a date like 2026-11-01' }).optional() });

  it('names the option as typed on the command line, or keeps a message that already does', () => {
    expect(() => parseOptions(Schema, { webPort: 'abc' })).toThrow(UsageError);
    expect(() => parseOptions(Schema, { webPort: 'abc' })).toThrow(/^--web-port: /);
    expect(() => parseOptions(Schema, { webPort: '1', since: 'yesterday' })).toThrow(/^--since must be a date like 2026-11-01$/);
    expect(parseOptions(Schema, { webPort: '8080' })).toEqual({ webPort: 8080 });
  });

  it('selects the named sources (an unknown one is an error), otherwise every enabled one', () => {
    const all = loadSources();
    const enabled = all.filter((s) => s.enabled).map((s) => s.id);
    expect(selectSources({}).map((s) => s.id)).toEqual(enabled);
    expect(selectSources({ source: [all[1]!.id] }).map((s) => s.id)).toEqual([all[1]!.id]);
    expect(() => selectSources({ source: [all[0]!.id, 'khong-co'] })).toThrow(/unknown source\(s\): khong-co/);
  });
});
