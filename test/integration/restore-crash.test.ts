/**
 * A restore killed (SIGKILL) at random points of its write pass, many runs, each followed by
 * undo and a key-by-key comparison with the target as it was before the restore; and a restore
 * whose journal hits a file-size limit (`ulimit -f`, as a full disk would), which must end as a
 * typed FILE_ERROR with its restore id, its process alive, and undo put everything back.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackup, listBackups, openBackup, undoRestore } from '../../src/main/features/backup';
import { JournalReader, journalPath } from '../../src/main/features/backup/restore-journal';
import type { RedisClient } from '../../src/main/redis/client-options';
import { ROOT, bed, redisTargets, tempHome } from '../support/bed';
import { prng } from '../support/prng';
import { differences, drop, holdings, seedSource, seedTarget, under } from './restore-support';

const WORKER = join(ROOT, 'test/support/restore-worker.ts');
const run = Date.now().toString(36);
const root = tempHome();
const targets = redisTargets({ maxRetriesPerRequest: 1 });
const clients = new Map<string, RedisClient>(targets.map(([kind, connect]) => [kind, connect()]));
const client = (kind: string) => clients.get(kind) as RedisClient;
const portOf = (kind: string) => (kind === 'cluster' ? (bed.cluster.ports[0] as number) : bed.standalone.port);
const KEYS = 300;
const BATCH = 10;
const RUNS: Record<string, number> = { standalone: 14, cluster: 8 };

afterAll(() => {
  for (const c of clients.values()) c.disconnect();
});

async function restoreIds(profileId: string): Promise<Set<string>> {
  return new Set((await listBackups(root, profileId)).filter((m) => m.kind === 'safety-snapshot').map((m) => m.id));
}

interface KillOutcome {
  progressKeys: number;
  exited: boolean;
}

/** Runs the worker and SIGKILLs it after `afterBatches` progress lines and `delayMs` more, unless it ends first. */
function killedRestore(args: string[], afterBatches: number, delayMs: number): Promise<KillOutcome> {
  // One process (not the tsx wrapper), so SIGKILL really kills the restore.
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    let seen = 0;
    let progressKeys = 0;
    let exited = false;
    child.on('exit', () => {
      exited = true;
      resolve({ progressKeys, exited: seen < afterBatches || child.signalCode !== 'SIGKILL' });
    });
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        const m = /^progress (\d+)/.exec(line);
        if (!m) continue;
        seen += 1;
        progressKeys = Number(m[1]);
        if (seen === afterBatches) setTimeout(() => !exited && child.kill('SIGKILL'), delayMs);
      }
    });
  });
}

for (const [kind] of targets)
  describe(`restore killed in its write pass on ${kind}`, { shuffle: false }, () => {
    const profileId = `p-crash-${kind}`;
    const src = `kl:${run}:${kind}:src:`;
    let backupId = '';

    it('undo after SIGKILL at random points puts back exactly what the target held, key by key', { timeout: 600_000 }, async () => {
      const c = client(kind);
      const source = await seedSource(c, src, KEYS);
      backupId = (
        await createBackup(
          c,
          { id: `p-src-${kind}`, name: kind, environment: 'development' },
          { root, scope: { kind: 'patterns', patterns: [`${src}*`] } },
        )
      ).id;
      const rng = prng(0x2020 + kind.length);
      const figures: string[] = [];
      let compared = 0;
      for (let r = 0; r < (RUNS[kind] as number); r += 1) {
        const to = `kl:${run}:${kind}:t${r}:`;
        const keys = await seedTarget(c, to, KEYS);
        const before = await holdings(c, keys);
        const known = await restoreIds(profileId);
        const afterBatches = 1 + Math.floor(rng() * (KEYS / BATCH - 2));
        const delayMs = Math.floor(rng() * 12);
        const args = [kind, String(portOf(kind)), root, `p-src-${kind}`, backupId, profileId, src, to, String(BATCH)];
        const killed = await killedRestore(args, afterBatches, delayMs);
        const fresh = [...(await restoreIds(profileId))].filter((id) => !known.has(id));
        expect(fresh.length).toBeLessThanOrEqual(1);
        const restoreId = fresh[0];
        let point = 'before its journal';
        if (restoreId) {
          const reader = new JournalReader(journalPath((await openBackup(root, profileId, restoreId)).paths.dir, restoreId));
          let intents = 0;
          for await (const rec of reader.records()) if (rec.kind === 'intent') intents += 1;
          const undo = await undoRestore(root, c, { id: profileId, name: kind, environment: 'development' }, restoreId);
          expect(undo.changed.count).toBe(0);
          point = `${killed.exited ? 'completed' : 'killed'} after ${killed.progressKeys} keys reported, ${intents} intents journaled${reader.torn ? ', torn tail' : ''}; undo put back ${undo.restored}, deleted ${undo.deleted}, ${undo.unchanged} never written`;
        }
        const diff = differences(keys, before, await holdings(c, keys));
        expect(diff, `run ${r}: ${point}`).toEqual([]);
        compared += keys.length;
        figures.push(`run ${r} (batch ${afterBatches} + ${delayMs} ms): ${point}`);
        await drop(c, keys);
      }
      console.log(`[kill loop ${kind}] ${figures.length} runs, ${compared} keys compared\n  ${figures.join('\n  ')}`);
      await drop(c, source);
    });
  });

describe('a restore whose journal cannot grow (ulimit -f)', () => {
  it('ends as a typed FILE_ERROR with its restore id, the process alive, and undo puts the target back', { timeout: 120_000 }, async () => {
    const c = client('standalone');
    const profileId = 'p-full-disk';
    const src = `fd:${run}:src:`;
    const to = `fd:${run}:t:`;
    // Old values that DUMP cannot shrink (LZF looks back 8 KiB, the block repeats every 9 KiB) and
    // gzip can (it looks back 32 KiB): the safety snapshot stays small, the raw journal does not.
    const block = randomBytes(9 * 1024);
    const source: Buffer[] = [];
    const keys: Buffer[] = [];
    for (let i = 0; i < 80; i += 1) {
      source.push(under(src, `k${i}`));
      keys.push(under(to, `k${i}`));
      await c.set(under(src, `k${i}`), `new-${i}`);
      const old = Buffer.concat([...Array.from({ length: 8 }, () => block), Buffer.from(String(i))]);
      if (i % 2 === 0) await c.set(under(to, `k${i}`), old, 'PX', 3_600_000);
    }
    const backupId = (
      await createBackup(
        c,
        { id: 'p-fd-src', name: 'fd', environment: 'development' },
        { root, scope: { kind: 'patterns', patterns: [`${src}*`] } },
      )
    ).id;
    const before = await holdings(c, keys);
    const args = ['standalone', String(bed.standalone.port), root, 'p-fd-src', backupId, profileId, src, to, '10'];
    // dash counts ulimit -f in 512-byte blocks: 800 KiB, the snapshot (~400 KiB) and two batches' old values.
    const r = spawnSync('/bin/sh', ['-c', 'ulimit -f 1600 && exec "$@"', 'sh', process.execPath, '--import', 'tsx', WORKER, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const outcome = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as {
      status: string;
      error?: { code: string };
      snapshotId: string;
    };
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FILE_ERROR' } });
    expect(outcome.snapshotId).toMatch(/^\d{8}T/);
    const written = differences(keys, before, await holdings(c, keys)).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(keys.length);
    await undoRestore(root, c, { id: profileId, name: 'fd', environment: 'development' }, outcome.snapshotId);
    expect(differences(keys, before, await holdings(c, keys))).toEqual([]);
    await drop(c, [...keys, ...source]);
  });
});
