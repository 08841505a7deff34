import { describe, expect, it } from 'vitest';
import { amplify, amplifySensitivity, DEFAULT_AMPLIFY } from '../../../pipeline/sensitivity/index.ts';

describe('amplify', () => {
  it('defaults to 3 outlets within 24 hours', () => {
    expect(DEFAULT_AMPLIFY).toMatchObject({ minOutlets: 3, hours: 24 });
  });

  it('raises a sensitive story carried by enough outlets in the window to hot, with a Vietnamese reason', () => {
    const r = amplify('sensitive', { outlets: 4, windowHours: 10 });
    expect(r).toEqual({
      level: 'hot',
      raised: true,
      reason:
        'Lan rộng: 4 cơ quan báo chí đưa tin trong 10 giờ (ngưỡng 3 báo trong 24 giờ) → nâng lên mức nóng',
    });
  });

  it.each([
    [2, 5],
    [5, 30],
  ])('does not raise %i outlets in %i hours', (outlets, windowHours) => {
    expect(amplify('sensitive', { outlets, windowHours })).toEqual({
      level: 'sensitive',
      raised: false,
      reason: null,
    });
  });

  it('accepts exactly the threshold', () => {
    expect(amplify('sensitive', { outlets: 3, windowHours: 24 }).level).toBe('hot');
  });

  it('uses the configured thresholds', () => {
    expect(amplify('sensitive', { outlets: 4, windowHours: 10 }, { minOutlets: 5 }).raised).toBe(false);
    expect(amplify('sensitive', { outlets: 5, windowHours: 40 }, { minOutlets: 5, hours: 48 }).raised).toBe(
      true,
    );
  });

  it('leaves normal stories alone unless asked, then raises them to sensitive only', () => {
    expect(amplify('normal', { outlets: 9, windowHours: 2 }).level).toBe('normal');
    const r = amplify('normal', { outlets: 9, windowHours: 2 }, { raiseNormal: true });
    expect(r.level).toBe('sensitive');
    expect(r.reason).toMatch(/nâng lên mức nhạy cảm$/);
  });

  it('keeps hot stories hot without adding a reason', () => {
    expect(amplify('hot', { outlets: 9, windowHours: 2 })).toEqual({
      level: 'hot',
      raised: false,
      reason: null,
    });
  });

  it('rejects nonsense coverage', () => {
    expect(() => amplify('sensitive', { outlets: 3, windowHours: -1 })).toThrow(/invalid coverage/);
  });

  it('puts the amplification reason first in a Sensitivity record', () => {
    const s = amplifySensitivity(
      {
        level: 'sensitive',
        score: 0.5,
        tone: 'negative',
        toneByAgency: {},
        categories: ['complaint'],
        reasons: ['Khiếu nại, tố cáo, phản ánh: «khiếu nại» (tiêu đề)'],
      },
      { outlets: 6, windowHours: 3.5 },
    );
    expect(s.level).toBe('hot');
    expect(s.reasons[0]).toBe(
      'Lan rộng: 6 cơ quan báo chí đưa tin trong 3,5 giờ (ngưỡng 3 báo trong 24 giờ) → nâng lên mức nóng',
    );
    expect(s.reasons).toHaveLength(2);
  });
});
