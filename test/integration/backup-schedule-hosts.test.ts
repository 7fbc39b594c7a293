/**
 * Two hosts on one Swarmdeck home: this process (as the web host) and a real second process (as
 * the desktop app). The schedules run in one of them only, once per tick; a schedule removed in
 * the host that does not run it stops at once in the one that does; and when the runner is
 * SIGKILLed, the other takes the schedules over. Real backups of a real Redis database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { listBackups } from '../../src/main/features/backup';
import { LEASE_FILE } from '../../src/main/features/backup/schedule-lease';
import { auditKey } from '../../src/main/redis/keyspace';
import { createServices } from '../../src/main/services';
import { scheduleRunnerText } from '../../src/shared/model/backup';
import { ROOT, bed, standalone, tempHome } from '../support/bed';
import { until } from '../support/harness';
import { sleep } from '../support/sleep';

const HOST = join(ROOT, 'test/support/schedule-host.ts');
const DB = 15;
const EVERY_MS = 800;
const home = tempHome();
const services = createServices({ home, host: 'web', env: {} });
const redis = new Redis({ port: bed.standalone.port, host: '127.0.0.1', db: DB });
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  await services.backups.stopSchedules();
  await services.dispose();
  redis.disconnect();
});

const holder = (): { pid: number; via: string } | null => {
  try {
    return (JSON.parse(readFileSync(join(home, LEASE_FILE), 'utf8')) as { holder: { pid: number; via: string } | null }).holder;
  } catch {
    return null;
  }
};

/** When each backup of the profile was taken (ms), oldest first. */
async function backupTimes(profileId: string): Promise<number[]> {
  const all = await listBackups(services.backups.root, profileId);
  return all
    .filter((m) => m.kind === 'backup')
    .map((m) => Date.parse(m.createdAt))
    .sort((a, b) => a - b);
}

/** Which host kind wrote each backup's audit entry. */
async function backupVia(): Promise<string[]> {
  const entries = await redis.xrange(auditKey('sd'), '-', '+');
  return entries
    .map(
      ([, fields]) =>
        Object.fromEntries(fields.flatMap((_, i) => (i % 2 === 0 ? [[fields[i], fields[i + 1]]] : []))) as Record<string, string>,
    )
    .filter((f) => f.action === 'backup.create')
    .map((f) => f.via as string);
}

describe('backup schedules with two hosts on one home', { shuffle: false }, () => {
  let profileId = '';

  it('runs a schedule in one host only, once per tick, and names that host to the other', { timeout: 60_000 }, async () => {
    await redis.del(auditKey('sd'));
    await redis.set('sched:probe', 'x');
    const topology = { kind: 'standalone', host: '127.0.0.1', port: bed.standalone.port, db: DB } as const;
    profileId = (await services.profiles.save(standalone({ name: 'sched', topology }))).id;
    child = spawn(process.execPath, ['--import', 'tsx', HOST, home], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = child.pid as number;
    await until('the desktop host holds the schedules', () => (holder()?.pid === pid ? true : undefined));

    await services.backups.startSchedules('web');
    const status = await services.backups.schedules.status(profileId);
    expect(status.runner).toMatchObject({ pid, via: 'desktop', self: false });
    expect(scheduleRunnerText(status.runner)).toMatch(new RegExp(`^run by pid ${pid} \\(desktop\\) on .+ since \\d{4}-`));

    // Saved in the host that does not run it: the runner arms it at once.
    await services.backups.schedules.set(profileId, { kind: 'interval', everyMs: EVERY_MS });
    const from = Date.now();
    await sleep(EVERY_MS * 6 + 300);
    const times = (await backupTimes(profileId)).filter((t) => t >= from);
    // Six ticks: one runner makes about six backups, two would make about twelve.
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect(times.length).toBeLessThanOrEqual(7);
    expect(new Set(await backupVia())).toEqual(new Set(['desktop']));
    const seen = await services.backups.schedules.status(profileId);
    expect(seen.lastResult).toMatchObject({ ok: true });
    expect(seen.lastRun).not.toBeNull();
  });

  it('stops a schedule removed in the other host without a restart', { timeout: 60_000 }, async () => {
    await services.backups.schedules.set(profileId, null);
    const removedAt = Date.now();
    await sleep(EVERY_MS * 4);
    // A run that had begun before the removal may still stamp its backup a moment after it.
    expect((await backupTimes(profileId)).filter((t) => t > removedAt + 300)).toEqual([]);
    expect(child?.exitCode).toBeNull();
  });

  it('takes the schedules over when their runner is SIGKILLed', { timeout: 60_000 }, async () => {
    await services.backups.schedules.set(profileId, { kind: 'interval', everyMs: EVERY_MS });
    await until('the desktop host runs it again', async () => ((await backupVia()).length > 0 ? true : undefined));
    child?.kill('SIGKILL');
    const killedAt = Date.now();
    await until('this host runs the schedules', async () =>
      (await services.backups.schedules.status(profileId)).runner?.self ? true : undefined,
    );
    expect(holder()).toMatchObject({ pid: process.pid, via: 'web' });
    await until('a backup by this host', async () => ((await backupVia()).includes('web') ? true : undefined));
    expect((await services.backups.schedules.status(profileId)).runner).toMatchObject({ pid: process.pid, via: 'web', self: true });
    // Taken over within the followers' look interval (2 s), not at the lease's staleness (60 s).
    expect(Date.now() - killedAt).toBeLessThan(15_000);
  });
});
