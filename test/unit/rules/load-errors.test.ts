import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLIDAYS_FILE, parseCalendar } from '../../../rules/calendar/calendar.ts';
import { loadRules, parseRuleFiles } from '../../../rules/engine/load.ts';
import { DEFAULT_REGIMES_FILE, parseRegimes } from '../../../rules/legal/regimes.ts';
import { DataFileError } from '../../../lib/yaml-file.ts';
import { regimes } from './helpers.ts';

function errorOf(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataFileError) return e;
    throw e;
  }
  throw new Error('expected a DataFileError');
}

const GOOD_RULE = `rules:
  - id: ok
    title: Được
    when:
      agency: { prominence: [primary] }
    then:
      kind: escalate
      priority: 1
      explanation: "Báo cáo {agency}"
    basis: [{ citation: x, confidence: H }]
`;

describe('rule files: errors name the file and the line', () => {
  it('an unknown condition key', () => {
    const text = GOOD_RULE.replace(
      '      agency: { prominence: [primary] }',
      '      agnecy: { prominence: [primary] }',
    );
    const e = errorOf(() => parseRuleFiles([{ file: 'rules/x.yaml', text }]));
    expect(e.issues[0]).toMatchObject({ file: 'rules/x.yaml', line: 5 });
    expect(e.message).toMatch(/^rules\/x\.yaml:5:\d+: rules\[0\]\.when\.agnecy: unknown condition "agnecy"/);
  });

  it('a bad value deep in a condition points at that value', () => {
    const text = GOOD_RULE.replace('{ prominence: [primary] }', '{ prominence: [main] }');
    const e = errorOf(() => parseRuleFiles([{ file: 'x.yaml', text }]));
    expect(e.issues[0]!.line).toBe(5);
    expect(e.issues[0]!.path).toBe('rules[0].when.agency.prominence[0]');
  });

  it('an unknown key in the action points at the key', () => {
    const text = GOOD_RULE.replace('      priority: 1\n', '      priority: 1\n      dealine: { param: x }\n');
    const e = errorOf(() => parseRuleFiles([{ file: 'x.yaml', text }]));
    expect(e.issues[0]).toMatchObject({
      line: 9,
      path: 'rules[0].then.dealine',
      message: 'unknown key "dealine"',
    });
  });

  it('a deadline parameter that a regime lacks', () => {
    const text = GOOD_RULE.replace(
      '      priority: 1\n',
      '      priority: 1\n      deadline: { param: no-such-param }\n',
    );
    const e = errorOf(() => parseRuleFiles([{ file: 'x.yaml', text }], { regimes }));
    expect(e.message).toContain('x.yaml:9:');
    expect(e.message).toContain('regime luat-103-2016 has no parameter "no-such-param"');
  });

  it('an unknown placeholder in the explanation', () => {
    const text = GOOD_RULE.replace('{agency}', '{agencyName}');
    const e = errorOf(() => parseRuleFiles([{ file: 'x.yaml', text }]));
    expect(e.issues[0]).toMatchObject({ line: 9 });
    expect(e.issues[0]!.message).toContain('unknown placeholder {agencyName}');
  });

  it('a YAML syntax error', () => {
    const text = GOOD_RULE.replace('    title: Được', '    title: [Được');
    const e = errorOf(() => parseRuleFiles([{ file: 'broken.yaml', text }]));
    expect(e.issues[0]!.file).toBe('broken.yaml');
    expect(e.issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('duplicate ids across files name both places', () => {
    const e = errorOf(() =>
      parseRuleFiles([
        { file: 'a.yaml', text: GOOD_RULE },
        { file: 'b.yaml', text: '# comment\n' + GOOD_RULE },
      ]),
    );
    expect(e.message).toBe('b.yaml:3:9: rules[0].id: duplicate rule id "ok" (first defined at a.yaml:2)');
  });

  it('loadRules reads a directory and reports the real path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(dir, '01-good.yaml'), GOOD_RULE);
    writeFileSync(join(dir, '02-bad.yml'), GOOD_RULE.replace('id: ok', 'id: Bad Id'));
    writeFileSync(join(dir, 'README.md'), 'not a rule file');
    const e = errorOf(() => loadRules(dir));
    expect(e.message).toContain(`${join(dir, '02-bad.yml')}:2:`);
    expect(e.message).toContain('rule ids are lower-case slugs');
  });
});

describe('data files: errors name the file and the line', () => {
  it('holidays.yaml with an impossible decision date', () => {
    const text = readFileSync(DEFAULT_HOLIDAYS_FILE, 'utf8').replace(
      'off: [2019-04-29]',
      'off: [2019-02-30]',
    );
    const line = text.split('\n').findIndex((l) => l.includes('2019-02-30')) + 1;
    const e = errorOf(() => parseCalendar('holidays.yaml', text));
    expect(e.issues).toEqual([
      expect.objectContaining({ file: 'holidays.yaml', line, message: 'no such date' }),
    ]);
  });

  it('regimes.yaml where the new regime forgets a parameter', () => {
    const text = readFileSync(DEFAULT_REGIMES_FILE, 'utf8');
    const lines = text.split('\n');
    const start = lines.findIndex(
      (l, i) =>
        i > lines.findIndex((x) => x.includes('id: luat-126-2025')) && l === '      press-answer-request:',
    );
    lines.splice(start, 8); // the whole parameter block
    const e = errorOf(() => parseRegimes('regimes.yaml', lines.join('\n')));
    const paramsLine =
      lines.findIndex(
        (l, i) => i > lines.findIndex((x) => x.includes('id: luat-126-2025')) && l === '    parameters:',
      ) + 2;
    expect(e.message).toContain('missing parameter press-answer-request (defined in luat-103-2016)');
    expect(e.issues[0]).toMatchObject({ file: 'regimes.yaml', line: paramsLine });
  });

  it('regimes.yaml with a day count that is not a whole number', () => {
    const text = readFileSync(DEFAULT_REGIMES_FILE, 'utf8').replace(
      'unit: working_days\n        value: 15',
      'unit: working_days\n        value: 15.5',
    );
    const line = text.split('\n').findIndex((l) => l.includes('value: 15.5')) + 1;
    const e = errorOf(() => parseRegimes('regimes.yaml', text));
    expect(e.issues[0]).toMatchObject({ line, message: 'days must be a whole number' });
  });
});

it('a sensitivity category that the sensitivity stage does not produce', () => {
  const text = GOOD_RULE.replace(
    'agency: { prominence: [primary] }',
    'sensitivity: { categories: [press-conduct] }',
  );
  const e = errorOf(() => parseRuleFiles([{ file: 'x.yaml', text }]));
  expect(e.issues[0]).toMatchObject({ line: 5, path: 'rules[0].when.sensitivity.categories[0]' });
});
