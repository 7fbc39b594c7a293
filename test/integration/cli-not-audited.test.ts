import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../src/main/redis/keyspace';
import { bed, ROOT, tempHome } from '../support/bed';

const CLI = join(ROOT, 'bin/swarmdeck.js');

/**
 * A write whose audit entry cannot be written is done, and the CLI says so on stderr: the audit
 * stream's key holds a string here, so Redis itself refuses the XADD (WRONGTYPE) after the write.
 */
describe('the CLI warns of an action done but not audited', () => {
  const home = tempHome();
  const prefix = `clinoaudit${Date.now()}`;
  const redis = new Redis(bed.standalone.port, '127.0.0.1');
  afterAll(async () => {
    await redis.del(auditKey(prefix));
    redis.disconnect();
  });
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args, '--url', `redis://127.0.0.1:${bed.standalone.port}`, '--prefix', prefix, '--home', home], {
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('exits 0 with the usual output, and prints the warning to stderr (as JSON with --json)', async () => {
    await redis.set(auditKey(prefix), 'not a stream');
    const set = cli('state', 'set', 'plan:unaudited', '{"step":1}');
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toBe('plan:unaudited is now version 1\n');
    expect(set.stderr).toMatch(
      /^swarmdeck: warning: state\.set on plan:unaudited was done but not written to the audit stream: .*WRONGTYPE/m,
    );

    const json = cli('state', 'set', 'plan:unaudited', '{"step":2}', '--json');
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ version: 2 });
    const warning = JSON.parse(json.stderr.trim().split('\n').at(-1) ?? '{}') as {
      warning?: { code: string; op: string; message: string };
    };
    expect(warning.warning).toMatchObject({ code: 'NOT_AUDITED', op: 'state.set', message: expect.stringContaining('plan:unaudited') });

    // Both writes happened.
    const get = cli('state', 'get', 'plan:unaudited');
    expect(get.stdout).toContain('{"step":2}');
    expect(get.stderr).toBe('');
  });
});
