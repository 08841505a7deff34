/**
 * Amplification: a sensitive story that many outlets carry within a short window becomes hot (the
 * seeds' complaint: agencies react late to stories that spread). Defaults: 3 outlets within 24 hours.
 * A normal story stays normal by default (wide coverage of a ribbon-cutting is not an alarm); set
 * `raiseNormal` to raise it to sensitive instead.
 */
import type { Sensitivity, SensitivityLevel } from '../../model/records.ts';

export interface Coverage {
  /** Distinct outlets that published the story. */
  outlets: number;
  /** Hours between the first and the latest of those publications. */
  windowHours: number;
}

export interface AmplifyConfig {
  minOutlets: number;
  hours: number;
  raiseNormal: boolean;
}

export const DEFAULT_AMPLIFY: AmplifyConfig = { minOutlets: 3, hours: 24, raiseNormal: false };

export interface AmplifyResult {
  level: SensitivityLevel;
  raised: boolean;
  reason: string | null;
}

export function amplify(
  level: SensitivityLevel,
  coverage: Coverage,
  config: Partial<AmplifyConfig> = {},
): AmplifyResult {
  const c = { ...DEFAULT_AMPLIFY, ...config };
  if (
    !Number.isFinite(coverage.outlets) ||
    !Number.isFinite(coverage.windowHours) ||
    coverage.windowHours < 0
  ) {
    throw new Error(`amplify: invalid coverage ${JSON.stringify(coverage)}`);
  }
  const spread = coverage.outlets >= c.minOutlets && coverage.windowHours <= c.hours;
  const hours = Number.isInteger(coverage.windowHours)
    ? String(coverage.windowHours)
    : coverage.windowHours.toFixed(1).replace('.', ',');
  const why = `Lan rộng: ${coverage.outlets} cơ quan báo chí đưa tin trong ${hours} giờ (ngưỡng ${c.minOutlets} báo trong ${c.hours} giờ)`;
  if (spread && level === 'sensitive')
    return { level: 'hot', raised: true, reason: `${why} → nâng lên mức nóng` };
  if (spread && level === 'normal' && c.raiseNormal)
    return { level: 'sensitive', raised: true, reason: `${why} → nâng lên mức nhạy cảm` };
  return { level, raised: false, reason: null };
}

/** amplify() applied to a Sensitivity record: returns a new record with the raised level and the reason first. */
export function amplifySensitivity(
  s: Sensitivity,
  coverage: Coverage,
  config: Partial<AmplifyConfig> = {},
): Sensitivity {
  const r = amplify(s.level, coverage, config);
  if (!r.raised) return s;
  return { ...s, level: r.level, reasons: [r.reason!, ...s.reasons] };
}
