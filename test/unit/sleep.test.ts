import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../lib/sleep.ts';

describe('sleep', () => {
  it('leaves no abort listener behind after many sleeps on one signal (a loop that runs for months)', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 200; i++) await sleep(0, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('ends early when the signal aborts', async () => {
    const stop = new AbortController();
    const started = Date.now();
    setTimeout(() => stop.abort(), 20);
    await sleep(10_000, stop.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
