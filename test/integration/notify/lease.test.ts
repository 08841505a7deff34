import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLease, LeaseLostError, readLease } from '../../../notify/lease.ts';
import { openTestStore, testLog, type TestStore } from '../../helpers/es.ts';

let store: TestStore;
let t = Date.parse('2026-11-20T10:00:00+07:00');
const now = () => new Date(t);

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store?.drop();
});

describe('leases (optimistic concurrency on one document)', () => {
  it('of many concurrent contenders exactly one wins; the others learn who holds it and until when', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => acquireLease(store, 'race', { owner: `p${i}`, ttlMs: 60_000, now, log: testLog })));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const owner = winners[0]!.ok ? winners[0]!.lease.owner : '';
    for (const r of results) if (!r.ok) expect(r.holder).toMatchObject({ owner, state: 'held', expiresAt: new Date(t + 60_000).toISOString() });
  });

  it('renews while held, is free again once released', async () => {
    const a = await acquireLease(store, 'cycle', { owner: 'a', ttlMs: 60_000, now });
    if (!a.ok) throw new Error('not acquired');
    t += 30_000;
    expect(await a.lease.renew()).toBe(true);
    expect((await readLease(store, 'cycle'))!.expiresAt).toBe(new Date(t + 60_000).toISOString());
    expect((await acquireLease(store, 'cycle', { owner: 'b', now })).ok).toBe(false);
    await a.lease.release();
    expect((await acquireLease(store, 'cycle', { owner: 'b', now })).ok).toBe(true);
  });

  it('an expired lease is taken over; the old holder then finds it lost and must stop', async () => {
    const a = await acquireLease(store, 'crash', { owner: 'crashed', ttlMs: 60_000, now });
    if (!a.ok) throw new Error('not acquired');
    t += 61_000; // the holder hung past its expiry without renewing
    const b = await acquireLease(store, 'crash', { owner: 'successor', ttlMs: 60_000, now, log: testLog });
    expect(b.ok && b.tookOverFrom).toBe('crashed');
    expect(await a.lease.renew()).toBe(false);
    expect(() => a.lease.assertHeld()).toThrow(LeaseLostError);
    expect(await a.lease.release()).toBe(false); // releasing someone else's lease is refused
    expect(await readLease(store, 'crash')).toMatchObject({ owner: 'successor', state: 'held' });
  });

  it('a lease whose holder on this machine was killed is taken over at once, not after its expiry', async () => {
    // A process that has exited: its pid no longer exists (as after kill -9 of a monitor).
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const gone = `${hostname()}:${dead}:abcd1234`;
    expect((await acquireLease(store, 'killed', { owner: gone, ttlMs: 120_000, now })).ok).toBe(true);
    const b = await acquireLease(store, 'killed', { owner: 'restarted', ttlMs: 120_000, now, log: testLog });
    expect(b.ok && b.tookOverFrom).toBe(gone);
    // A live holder here (this very process) or on another machine keeps its lease until it expires.
    const live = await acquireLease(store, 'alive', { owner: `${hostname()}:${process.ppid}:x`, ttlMs: 120_000, now });
    expect(live.ok).toBe(true);
    expect((await acquireLease(store, 'alive', { owner: 'other', now })).ok).toBe(false);
    await acquireLease(store, 'remote', { owner: `another-host:${dead}:x`, ttlMs: 120_000, now });
    expect((await acquireLease(store, 'remote', { owner: 'other', now })).ok).toBe(false);
  });

  it('a completed lease stays done: the job is not run again', async () => {
    const a = await acquireLease(store, 'once', { owner: 'a', now });
    if (!a.ok) throw new Error('not acquired');
    await a.lease.complete({ result: 'gửi xong' });
    t += 24 * 3_600_000;
    const again = await acquireLease(store, 'once', { owner: 'b', now });
    expect(again).toMatchObject({ ok: false, done: true, holder: { state: 'done', details: { result: 'gửi xong' } } });
  });
});
