import { describe, expect, it } from 'vitest';
import { planRetention, type RetainedBackup } from '../../src/main/features/backup/retention';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
// Berlin's 2025 clock changes: CEST from 01:00 UTC on 30 March to 01:00 UTC on 26 October.
const DST_START = Date.UTC(2025, 2, 30, 1);
const DST_END = Date.UTC(2025, 9, 26, 1);

/** Berlin wall-clock time → Unix ms (the later instant when the wall clock repeats an hour). */
function berlin(y: number, m: number, d: number, h: number, min: number): number {
  const wall = Date.UTC(y, m - 1, d, h, min);
  const asCet = wall - HOUR;
  return asCet >= DST_START && asCet < DST_END ? wall - 2 * HOUR : asCet;
}

const label = (y: number, m: number, d: number, h: number, min: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}${String(min).padStart(2, '0')}`;
const at = (y: number, m: number, d: number, h: number, min: number, tag = ''): RetainedBackup => ({
  path: `/b/${label(y, m, d, h, min)}${tag}.sdbk`,
  createdAt: berlin(y, m, d, h, min),
});
const names = (xs: { backup: RetainedBackup }[]) => xs.map((x) => x.backup.path.slice(3, -5)).sort();

/** Three backups a local day (00:30, 09:00, 23:30) from 1 Dec 2024 to 31 Dec 2025, with gaps. */
function year(): RetainedBackup[] {
  const out: RetainedBackup[] = [];
  for (let t = Date.UTC(2024, 11, 1); t <= Date.UTC(2025, 11, 31); t += 24 * HOUR) {
    const d = new Date(t);
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (y === 2025 && m === 2) continue; // a whole month without backups
    if (y === 2025 && m === 8 && day >= 4 && day <= 17) continue; // two weeks of holiday
    if (y === 2025 && m === 12 && day >= 25 && day <= 27) continue; // Christmas
    for (const [h, min] of [
      [0, 30],
      [9, 0],
      [23, 30],
    ] as const)
      out.push(at(y, m, day, h, min));
  }
  return out;
}

describe('planRetention (grandfather-father-son)', () => {
  it('keeps the newest backup of the 7 newest days, 4 newest ISO weeks and 12 newest months, in Berlin time', () => {
    const history = year();
    const future = at(2026, 1, 2, 8, 0, '-future');
    // Input order must not matter.
    const shuffled = [...history, future].sort(
      (a, b) => ((a.path.length * 31 + a.createdAt) % 7) - ((b.path.length * 31 + b.createdAt) % 7),
    );
    const plan = planRetention(shuffled, { daily: 7, weekly: 4, monthly: 12, timeZone: ZONE }, berlin(2026, 1, 1, 10, 0));
    expect(names(plan.keep)).toEqual(
      [
        // daily
        '2025-12-31T2330',
        '2025-12-30T2330',
        '2025-12-29T2330',
        '2025-12-28T2330',
        '2025-12-24T2330',
        '2025-12-23T2330',
        '2025-12-22T2330',
        // weekly (2026-W01 and 2025-W52 are already kept as days)
        '2025-12-21T2330',
        '2025-12-14T2330',
        // monthly (no February; October ends on CET, March on CEST)
        '2025-11-30T2330',
        '2025-10-31T2330',
        '2025-09-30T2330',
        '2025-08-31T2330',
        '2025-07-31T2330',
        '2025-06-30T2330',
        '2025-05-31T2330',
        '2025-04-30T2330',
        '2025-03-31T2330',
        '2025-01-31T2330',
        '2024-12-31T2330',
        '2026-01-02T0800-future',
      ].sort(),
    );
    expect(plan.keep.length + plan.remove.length).toBe(history.length + 1);
    expect(plan.remove.length).toBe(history.length - 20);
    const keepOf = (path: string) => plan.keep.find((k) => k.backup.path === path)?.reason;
    expect(keepOf('/b/2025-12-31T2330.sdbk')).toBe('daily 1 of 7 (2025-12-31), weekly 1 of 4 (2026-W01), monthly 1 of 12 (2025-12)');
    expect(keepOf('/b/2025-12-22T2330.sdbk')).toBe('daily 7 of 7 (2025-12-22)');
    expect(keepOf('/b/2025-12-14T2330.sdbk')).toBe('weekly 4 of 4 (2025-W50)');
    expect(keepOf('/b/2026-01-02T0800-future.sdbk')).toBe('created after now (clock skew?)');

    const reasonOf = (path: string) => plan.remove.find((r) => r.backup.path === path)?.reason;
    expect(reasonOf('/b/2025-12-31T0900.sdbk')).toBe(
      'day 2025-12-31 keeps a newer backup (2025-12-31T2330.sdbk); week 2026-W01 keeps a newer backup (2025-12-31T2330.sdbk); month 2025-12 keeps a newer backup (2025-12-31T2330.sdbk)',
    );
    // 1 November 00:30 CET is still 31 October in UTC: in Berlin it is November's, not October's.
    expect(reasonOf('/b/2025-11-01T0030.sdbk')).toBe(
      'day 2025-11-01 is older than the 7 newest days; week 2025-W44 is older than the 4 newest weeks; month 2025-11 keeps a newer backup (2025-11-30T2330.sdbk)',
    );
    expect(reasonOf('/b/2025-01-15T2330.sdbk')).toBe(
      'day 2025-01-15 is older than the 7 newest days; week 2025-W03 is older than the 4 newest weeks; month 2025-01 keeps a newer backup (2025-01-31T2330.sdbk)',
    );
    expect(plan.remove.every((r) => r.reason.length > 0)).toBe(true);
  });

  it('counts a 23-hour and a 25-hour day as one day each', () => {
    const spring = [28, 29, 30]
      .flatMap((d) => [at(2025, 3, d, 0, 30), at(2025, 3, d, 9, 0), at(2025, 3, d, 23, 30)])
      .concat(at(2025, 3, 31, 0, 30), at(2025, 3, 31, 9, 0));
    const springPlan = planRetention(spring, { daily: 3, weekly: 0, monthly: 0, timeZone: ZONE }, berlin(2025, 3, 31, 12, 0));
    expect(names(springPlan.keep)).toEqual(['2025-03-29T2330', '2025-03-30T2330', '2025-03-31T0900']);

    // 02:30 happens twice on 26 October: both are that day's, neither is the newest.
    const firstTwoThirty = { path: '/b/2025-10-26T0230-cest.sdbk', createdAt: Date.UTC(2025, 9, 26, 0, 30) };
    const autumn = [24, 25, 26]
      .flatMap((d) => [at(2025, 10, d, 0, 30), at(2025, 10, d, 9, 0), at(2025, 10, d, 23, 30)])
      .concat(at(2025, 10, 26, 2, 30), firstTwoThirty, at(2025, 10, 27, 0, 30));
    const autumnPlan = planRetention(autumn, { daily: 3, weekly: 0, monthly: 0, timeZone: ZONE }, berlin(2025, 10, 27, 12, 0));
    expect(names(autumnPlan.keep)).toEqual(['2025-10-25T2330', '2025-10-26T2330', '2025-10-27T0030']);
    expect(autumnPlan.remove.find((r) => r.backup === firstTwoThirty)?.reason).toBe(
      'day 2025-10-26 keeps a newer backup (2025-10-26T2330.sdbk); no weekly backups are kept; no monthly backups are kept',
    );
  });

  it('refuses a policy that keeps nothing and an unknown time zone', () => {
    expect(() => planRetention(year(), { daily: 0, weekly: 0, monthly: 0 }, Date.now())).toThrow(/keeps no backup/);
    expect(() => planRetention(year(), { daily: 1, weekly: 0, monthly: 0, timeZone: 'Mars/Olympus' }, Date.now())).toThrow(
      /Unknown time zone/,
    );
  });
});

describe('planRetention by series and verification', () => {
  const policy = { daily: 7, weekly: 4, monthly: 12, timeZone: 'UTC' };
  const now = Date.UTC(2025, 5, 2, 12);
  const full = (hour: number, verified = false): RetainedBackup => ({
    path: `/b/full-${hour}.sdbk`,
    createdAt: Date.UTC(2025, 5, 2, hour),
    series: { kind: 'full' },
    verified,
  });
  const partial = (hour: number, name: string): RetainedBackup => ({
    path: `/b/${name}-${hour}.sdbk`,
    createdAt: Date.UTC(2025, 5, 2, hour),
    series: { kind: 'partial', name },
  });
  const reasons = (plan: ReturnType<typeof planRetention>) => [
    ...plan.keep.map((k) => `keep ${k.backup.path.slice(3, -5)}: ${k.reason}`),
    ...plan.remove.map((r) => `remove ${r.backup.path.slice(3, -5)}`),
  ];

  it('keeps a verified whole-database backup when a 0-key pattern backup follows it the same day (issue 20)', () => {
    const plan = planRetention([full(9, true), partial(10, 'pattern nothing:*')], policy, now);
    expect(reasons(plan)).toEqual([
      'keep pattern nothing:*-10: daily 1 of 7 (2025-06-02), weekly 1 of 4 (2025-W23), monthly 1 of 12 (2025-06)',
      'keep full-9: newest verified full backup, daily 1 of 7 (2025-06-02), weekly 1 of 4 (2025-W23), monthly 1 of 12 (2025-06)',
    ]);
  });

  it('prunes each partial scope as its own series, and never the newest verified full backup', () => {
    const plan = planRetention(
      [full(6, true), full(7), full(8), partial(9, 'pattern a:*'), partial(10, 'pattern a:*'), partial(11, 'components queues')],
      { daily: 1, weekly: 0, monthly: 0, timeZone: 'UTC' },
      now,
    );
    expect(reasons(plan)).toEqual([
      'keep components queues-11: daily 1 of 1 (2025-06-02)',
      'keep pattern a:*-10: daily 1 of 1 (2025-06-02)',
      'keep full-8: daily 1 of 1 (2025-06-02)',
      'keep full-6: newest verified full backup',
      'remove pattern a:*-9',
      'remove full-7',
    ]);
    expect(plan.remove.find((r) => r.backup.path === '/b/full-7.sdbk')?.reason).toBe(
      'day 2025-06-02 keeps a newer backup (full-8.sdbk); no weekly backups are kept; no monthly backups are kept',
    );
  });

  it('leaves a backup outside every series alone and does not let it hold a bucket', () => {
    const imported: RetainedBackup = {
      path: '/b/imported.sdbk',
      createdAt: Date.UTC(2025, 5, 2, 11),
      series: { kind: 'outside', why: 'imported from dump.rdb: retention leaves imports alone' },
      verified: true,
    };
    const plan = planRetention([full(8), full(9), imported], { daily: 1, weekly: 0, monthly: 0, timeZone: 'UTC' }, now);
    expect(reasons(plan)).toEqual([
      'keep imported: imported from dump.rdb: retention leaves imports alone',
      'keep full-9: daily 1 of 1 (2025-06-02)',
      'remove full-8',
    ]);
  });
});
