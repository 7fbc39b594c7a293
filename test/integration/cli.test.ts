import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bed, ROOT, tempHome } from '../support/bed';

const CLI = join(ROOT, 'bin/swarmdeck.js');

function swarmdeck(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('swarmdeck CLI', () => {
  it('is built', () => {
    expect(existsSync(join(ROOT, 'out/main/cli.js')), 'run "npm run build" first').toBe(true);
  });

  it('adds, lists, tests and removes profiles', () => {
    const home = tempHome();
    const added = swarmdeck([
      'profiles',
      'add',
      'bed cluster',
      '--cluster',
      `127.0.0.1:${bed.cluster.ports[0]}`,
      '--env',
      'staging',
      '--home',
      home,
      '--json',
    ]);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ id: 'bed-cluster', environment: 'staging' });
    const listed = swarmdeck(['profiles', 'list', '--home', home]);
    expect(listed.stdout).toMatch(new RegExp(`bed cluster\\s+bed-cluster\\s+staging\\s+cluster 127\\.0\\.0\\.1:${bed.cluster.ports[0]}`));
    const tested = swarmdeck(['profiles', 'test', 'bed cluster', '--home', home, '--json']);
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout)).toMatchObject({ ok: true, nodes: 6 });
    expect(swarmdeck(['profiles', 'remove', 'bed-cluster', '--home', home]).code).toBe(0);
    expect(swarmdeck(['profiles', 'list', '--home', home, '--json']).stdout.trim()).toBe('[]');
  });

  it('prints the overview figures as JSON for an ad hoc cluster', () => {
    const r = swarmdeck(['health', '--cluster', `127.0.0.1:${bed.cluster.ports[1]}`, '--json', '--home', tempHome()]);
    expect(r.code).toBe(0);
    const health = JSON.parse(r.stdout) as {
      nodes: { address: string; role: string; slots: string[] }[];
      latency: { samples: number };
      memory: { used: number };
      alerts: unknown[];
    };
    expect(health.nodes).toHaveLength(6);
    expect(health.nodes.filter((n) => n.role === 'master').every((n) => n.slots.length > 0)).toBe(true);
    expect(health.latency.samples).toBeGreaterThan(0);
    expect(health.memory.used).toBeGreaterThan(0);
    expect(health.alerts).toEqual([]);
  });

  it('reads the ACL password from --password-env and reports a wrong one on stderr', () => {
    const home = tempHome();
    const url = `redis://admin@127.0.0.1:${bed.acl.port}`;
    expect(swarmdeck(['health', '--url', url, '--password-env', 'BED_PW', '--home', home], { BED_PW: bed.acl.users.admin }).code).toBe(0);
    const wrong = swarmdeck(['health', '--url', url, '--password-env', 'BED_PW', '--home', home, '--json'], { BED_PW: 'wrong' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(JSON.parse(wrong.stderr)).toEqual({
      error: { code: 'AUTH_FAILED', message: expect.stringMatching(/rejected the username or password/) },
    });
  });

  it('verifies TLS with --tls-ca and says so when the CA is wrong', () => {
    const url = `rediss://127.0.0.1:${bed.tls.port}`;
    expect(swarmdeck(['health', '--url', url, '--tls-ca', join(bed.tlsDir, 'ca.crt'), '--home', tempHome()]).code).toBe(0);
    const wrong = swarmdeck(['profiles', 'test', '--url', url, '--tls-ca', join(bed.tlsDir, 'wrong-ca.crt'), '--home', tempHome()]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(new RegExp(`^swarmdeck: TLS to 127\\.0\\.0\\.1:${bed.tls.port} failed`));
  });

  it('exits 2 on usage errors and 1 on failures, one line on stderr', () => {
    const usage = swarmdeck(['frobnicate', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toMatchObject({ error: { code: 'USAGE' } });
    expect(swarmdeck(['health', '--bogus-flag']).code).toBe(2);
    expect(swarmdeck(['health']).code).toBe(2);
    const refused = swarmdeck(['health', '--url', 'redis://127.0.0.1:1', '--home', tempHome()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('swarmdeck: Nothing is listening at 127.0.0.1:1 (connection refused)\n');
    // A bad flag value is the caller's mistake, like a missing flag: exit 2.
    const badUrl = swarmdeck(['health', '--url', 'http://x:1', '--json']);
    expect(badUrl.code).toBe(2);
    expect(JSON.parse(badUrl.stderr)).toMatchObject({ error: { code: 'VALIDATION' } });
    expect(swarmdeck(['health', '--url', 'redis://127.0.0.1:99999']).code).toBe(2);
    expect(swarmdeck(['queue', 'enqueue', 'q', '--data', '{nope', '--url', `redis://127.0.0.1:${bed.standalone.port}`]).code).toBe(2);
    const priority = swarmdeck([
      'queue',
      'enqueue',
      'q',
      '--data',
      '{}',
      '--priority',
      'urgent',
      '--url',
      `redis://127.0.0.1:${bed.standalone.port}`,
      '--prefix',
      'cliprio',
      '--json',
    ]);
    expect(priority.code).toBe(2);
    // Two targets at once, or a number in another notation, is a usage error too.
    expect(swarmdeck(['health', '--profile', 'x', '--url', 'redis://127.0.0.1:1']).code).toBe(2);
    expect(swarmdeck(['health', '--url', 'redis://127.0.0.1:1', '--cluster', '127.0.0.1:2']).code).toBe(2);
    expect(swarmdeck(['queue', 'enqueue', 'q', '--data', '{}', '--attempts', '0x10', '--url', 'redis://127.0.0.1:1']).code).toBe(2);
    expect(JSON.parse(priority.stderr).error.details.fields[0].path).toMatch(/priority/);
  });

  it('runs no demo agents on a production or read-only profile unless it may', () => {
    const home = tempHome();
    const url = `redis://127.0.0.1:${bed.standalone.port}`;
    expect(
      swarmdeck(['profiles', 'add', 'demo prod', '--url', url, '--prefix', 'demoprod', '--env', 'production', '--home', home]).code,
    ).toBe(0);
    expect(swarmdeck(['profiles', 'add', 'demo ro', '--url', url, '--prefix', 'demoro', '--read-only', '--home', home]).code).toBe(0);
    const prod = swarmdeck([
      'demo',
      '--profile',
      'demo prod',
      '--swarms',
      '1',
      '--agents',
      '3',
      '--duration',
      '1',
      '--home',
      home,
      '--json',
    ]);
    expect(prod.code).toBe(1);
    expect(JSON.parse(prod.stderr).error.code).toBe('CONFIRMATION_REQUIRED');
    const ro = swarmdeck(['demo', '--profile', 'demo ro', '--swarms', '1', '--agents', '3', '--duration', '1', '--home', home, '--json']);
    expect(JSON.parse(ro.stderr).error.code).toBe('READ_ONLY');
    const listed = JSON.parse(swarmdeck(['swarms', 'list', '--profile', 'demo prod', '--home', home, '--json']).stdout) as {
      swarms: unknown[];
    };
    expect(listed.swarms).toEqual([]);
  });

  it('says usage errors in one line with the help to read, and answers help and --version', () => {
    const missing = swarmdeck(['queue', 'purge', 'q', '--url', 'redis://127.0.0.1:1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('swarmdeck: queue purge needs --state waiting|delayed|finished|dead (see "swarmdeck help queue")\n');
    const unknown = swarmdeck(['frobnicate']);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/see "swarmdeck --help"/);
    const help = swarmdeck(['help', 'queue']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/swarmdeck queue purge <name> --state/);
    expect(help.stdout).not.toMatch(/swarms list/);
    const version = swarmdeck(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^swarmdeck \d+\.\d+\.\d+/);
  });
});
