import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupScheduler } from '../../src/main/features/backup/schedule';
import { ScheduleLease } from '../../src/main/features/backup/schedule-lease';
import { SwarmdeckError } from '../../src/shared/errors';

const home = () => mkdtempSync(join(tmpdir(), 'sd-schedule-'));
const schedulers: BackupScheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
});

/** Waits for a condition (a deadline only so a broken scheduler fails instead of hanging). */
async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('BackupScheduler', () => {
  it('never overlaps runs of a profile: a tick during a run is skipped and counted as missed', async () => {
    const events: string[] = [];
    const gates = [gate(), gate(), gate()];
    let calls = 0;
    const s = new BackupScheduler({
      home: home(),
      run: async (id) => {
        const n = (calls += 1);
        events.push(`start ${id} ${n}`);
        await (gates[n - 1] ?? gates[2]!).opened;
        events.push(`end ${id} ${n}`);
        if (n === 2) throw new SwarmdeckError('UNAVAILABLE', 'second run fails');
      },
    });
    schedulers.push(s);
    await s.set('p1', { kind: 'interval', everyMs: 100 });
    await s.start();
    await until('first run', () => calls === 1);
    await until('two ticks missed while the first run is held', () => s.status('p1').missed >= 2);
    expect(s.status('p1').running).toBe(true);
    expect(calls).toBe(1);
    const missedWhileHeld = s.status('p1').missed;
    gates[0]!.open();
    await until('second run', () => calls === 2);
    gates[1]!.open();
    await until('second run settled', () => s.status('p1').lastResult?.ok === false);
    expect(s.status('p1').lastResult).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: 'second run fails' } });
    gates[2]!.open();
    await until('a third run succeeds', () => calls >= 3 && s.status('p1').lastResult?.ok === true);
    await s.stop();
    expect(events.slice(0, 5)).toEqual(['start p1 1', 'end p1 1', 'start p1 2', 'end p1 2', 'start p1 3']);
    // Starts and ends alternate: no run ever began while another was going.
    expect(events.every((e, i) => e.startsWith(i % 2 === 0 ? 'start' : 'end'))).toBe(true);
    expect(s.status('p1').missed).toBeGreaterThanOrEqual(missedWhileHeld);
    expect(s.status('p1').nextRun).toBeUndefined();
  });

  it("runs a seconds cron expression per profile and reports the next run in the schedule's time zone", async () => {
    const runs: string[] = [];
    const s = new BackupScheduler({ home: home(), run: async (id) => void runs.push(id) });
    schedulers.push(s);
    await s.set('every-second', { kind: 'cron', expression: '* * * * * *' });
    await s.set('tokyo', { kind: 'cron', expression: '0 0 3 * * *', timeZone: 'Asia/Tokyo' });
    await s.start();
    await until('two cron runs', () => runs.filter((r) => r === 'every-second').length >= 2);
    const st = s.status('every-second');
    expect(st.lastResult?.ok).toBe(true);
    expect(st.nextRun).toBeGreaterThan(st.lastRun as number);
    expect(st.missed).toBe(0);
    const next = s.status('tokyo').nextRun as number;
    const tokyo = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Tokyo',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(next));
    expect(tokyo).toBe('03:00:00');
    expect(runs).not.toContain('tokyo');
  });

  it('persists schedules in the home: another scheduler on the same home picks them up and follows removals', async () => {
    const h = home();
    const a = new BackupScheduler({ home: h, run: async () => undefined });
    await a.set('p-a', { kind: 'interval', everyMs: 3_600_000 });
    await a.set('p-b', { kind: 'cron', expression: '0 */5 * * * *', timeZone: 'Europe/Berlin' });
    const ran: string[] = [];
    const b = new BackupScheduler({ home: h, run: async (id) => void ran.push(id) });
    schedulers.push(b);
    expect(await b.list()).toEqual([
      { profileId: 'p-a', spec: { kind: 'interval', everyMs: 3_600_000 } },
      { profileId: 'p-b', spec: { kind: 'cron', expression: '0 */5 * * * *', timeZone: 'Europe/Berlin' } },
    ]);
    await b.start();
    expect(b.status('p-a').nextRun).toBeDefined();
    await a.remove('p-a');
    await b.start();
    expect(b.status('p-a').nextRun).toBeUndefined();
    expect(b.status('p-b').nextRun).toBeDefined();
    expect(JSON.parse(readFileSync(join(h, 'backup-schedules.json'), 'utf8'))).toEqual({
      version: 1,
      schedules: { 'p-b': { kind: 'cron', expression: '0 */5 * * * *', timeZone: 'Europe/Berlin' } },
    });
  });

  it('refuses a bad cron expression, time zone, interval or profile id before saving, and a corrupt file by name', async () => {
    const h = home();
    const s = new BackupScheduler({ home: h, run: async () => undefined });
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'saved',
        (e: unknown) => (e instanceof SwarmdeckError ? `${e.code}: ${e.message}` : String(e)),
      );
    expect(await code(s.set('p', { kind: 'cron', expression: '61 * * * *' }))).toMatch(/^VALIDATION: Invalid cron expression/);
    expect(await code(s.set('p', { kind: 'cron', expression: '* * * * *', timeZone: 'Mars/Olympus' }))).toMatch(
      /^VALIDATION: Unknown time zone/,
    );
    expect(await code(s.set('p', { kind: 'interval', everyMs: 5 }))).toMatch(/^VALIDATION: Invalid schedule/);
    expect(await code(s.set('../x', { kind: 'interval', everyMs: 1000 }))).toMatch(/^VALIDATION: Malformed profile id/);
    expect(await s.list()).toEqual([]);
    writeFileSync(join(h, 'backup-schedules.json'), '{"version":1,"schedules":{"p":{"kind":"weekly"}}}');
    expect(await code(s.start())).toMatch(/^CORRUPT_FILE: .*backup-schedules.json/);
  });
});

describe('BackupScheduler on a home two hosts share', () => {
  it("runs a home's schedules in one scheduler only: the other follows, names the runner, and sees a removal take effect at once", async () => {
    const h = home();
    const ran: string[] = [];
    const timing = { checkMs: 50, renewMs: 100 };
    const a = new BackupScheduler({ home: h, run: async () => void ran.push('a'), timing });
    const b = new BackupScheduler({ home: h, run: async () => void ran.push('b'), timing });
    schedulers.push(a, b);
    await a.start('web');
    await b.start('desktop');
    // Saved in the follower: the runner arms it through its watch on the schedules file.
    await b.set('p', { kind: 'interval', everyMs: 100 });
    await until('five runs', () => ran.length >= 5);
    expect(new Set(ran)).toEqual(new Set(['a']));
    expect(a.status('p').runner).toMatchObject({ pid: process.pid, via: 'web', self: true });
    await b.refresh();
    expect(b.status('p').runner).toMatchObject({ pid: process.pid, via: 'web', self: false });
    expect(b.status('p').lastRun).toBeGreaterThan(0);

    await b.remove('p');
    const atRemoval = ran.length;
    await new Promise((r) => setTimeout(r, 600));
    expect(ran.length).toBe(atRemoval);
    expect(a.status('p').nextRun).toBeUndefined();

    // The runner stops: the follower takes the schedules over at its next look.
    await b.set('p', { kind: 'interval', everyMs: 100 });
    await a.stop();
    await until('the follower runs them', () => ran.includes('b'));
    expect(b.status('p').runner).toMatchObject({ via: 'desktop', self: true });
    expect(JSON.parse(readFileSync(join(h, 'backup-schedules.lease.json'), 'utf8'))).toMatchObject({ holder: { via: 'desktop' } });
  });
});

describe('the schedule lease', () => {
  it('starts afresh from a damaged lease file instead of stopping every schedule', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sd-lease-'));
    writeFileSync(join(home, 'backup-schedules.lease.json'), 'garbage{{{');
    const lease = new ScheduleLease(home, 60_000);
    const doc = await lease.claim('web');
    expect(lease.isMine(doc)).toBe(true);
    expect(JSON.parse(readFileSync(join(home, 'backup-schedules.lease.json'), 'utf8'))).toMatchObject({ holder: { via: 'web' } });
  });
});
