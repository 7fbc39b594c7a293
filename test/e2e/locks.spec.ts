import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { auditKey } from '../../src/main/redis/keyspace';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/swarmdeck.js');
const cli = (home: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--home', home], { encoding: 'utf8' });

test('force-release a lock from the Locks view on a production profile, after typing its name', async ({ app, home }) => {
  const prefix = `e2elocks${process.pid}`;
  const url = `redis://127.0.0.1:${bed.standalone.port}`;
  expect(cli(home, 'profiles', 'add', 'prod', '--url', url, '--prefix', prefix, '--env', 'production').status).toBe(0);
  // A real holder: `lock exec` keeps the lease alive while its command runs.
  const holder: ChildProcess = spawn(
    process.execPath,
    [CLI, 'lock', 'exec', 'deploy/main', '--ttl', '3000', '--url', url, '--prefix', prefix, '--home', home, '--', 'sleep', '60'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number>((r) => holder.once('exit', (code) => r(code ?? -1)));
  const redis = new Redis(bed.standalone.port, '127.0.0.1');
  try {
    await app.reload();
    await app.getByTestId('profile-prod').getByRole('button', { name: 'Connect', exact: true }).click();
    await app.getByTestId('profile-prod').getByRole('button', { name: 'Disconnect' }).waitFor();
    await app.getByRole('button', { name: 'Locks' }).click();
    const row = app.getByTestId('lock-deploy/main');
    await expect(row).toBeVisible();
    await expect(row.getByTestId('lock-ttl')).toContainText(' s');
    const dialog = app.getByRole('dialog');
    await row.getByRole('button', { name: 'Force release' }).click();
    await expect(dialog).toContainText('Force release deploy/main?');
    await expect(dialog.getByRole('button', { name: 'Force release' })).toBeDisabled();
    await dialog.getByLabel('confirmation').fill('deploy');
    await expect(dialog.getByRole('button', { name: 'Force release' })).toBeDisabled();
    await dialog.getByLabel('confirmation').fill('deploy/main');
    await dialog.getByRole('button', { name: 'Force release' }).click();
    await expect(app.getByRole('status')).toContainText('Released deploy/main');
    await expect(app.getByTestId('locks-empty')).toBeVisible();
    // The holder learns at its next renewal: its command is stopped and the CLI exits 76.
    expect(await exited).toBe(76);
    const audit = await redis.xrevrange(auditKey(prefix), '+', '-', 'COUNT', 1);
    expect(audit[0]?.[1]).toEqual(expect.arrayContaining(['lock.forceRelease', 'deploy/main']));
  } finally {
    holder.kill('SIGKILL');
    redis.disconnect();
  }
});
