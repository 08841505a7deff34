import { describe, expect, it } from 'vitest';
import { createNewsClock } from '../../fixtures/news-web/clock.ts';

describe('createNewsClock', () => {
  it('starts frozen at 2026-11-20 12:00 Vietnam time', () => {
    const c = createNewsClock();
    expect(c.now().toISOString()).toBe('2026-11-20T05:00:00.000Z');
    expect(c.speed).toBe(0);
  });

  it('advance and set move the fixture time', () => {
    const c = createNewsClock({ start: '2026-11-20T12:00:00+07:00' });
    c.advance(90 * 60_000);
    expect(c.now().toISOString()).toBe('2026-11-20T06:30:00.000Z');
    c.set('2026-11-22T08:00:00+07:00');
    expect(c.now().toISOString()).toBe('2026-11-22T01:00:00.000Z');
    expect(() => c.set('not a date')).toThrow(/invalid time/);
  });

  it('with speed N, N fixture seconds pass per real second', () => {
    let real = 1_000_000;
    const c = createNewsClock({ start: new Date('2026-11-20T05:00:00Z'), speed: 60, realNow: () => real });
    real += 2000; // 2 real seconds
    expect(c.now().toISOString()).toBe('2026-11-20T05:02:00.000Z');
    c.advance(3600_000);
    real += 1000;
    expect(c.now().toISOString()).toBe('2026-11-20T06:03:00.000Z');
  });

  it('refuses a negative speed', () => {
    expect(() => createNewsClock({ speed: -1 })).toThrow(/speed/);
  });
});
