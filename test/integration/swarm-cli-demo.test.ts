import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { runDemo } from '../../src/main/features/demo/demo';
import { bed, redisTargets, ROOT, tempHome } from '../support/bed';

const CLI = join(ROOT, 'bin/swarmdeck.js');
const swarmdeck = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args, '--home', tempHome()], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** Each server with the CLI flags that reach it. */
const targets = redisTargets().map(
  ([kind, connect]) =>
    [
      kind,
      connect,
      kind === 'standalone' ? ['--url', `redis://127.0.0.1:${bed.standalone.port}`] : ['--cluster', `127.0.0.1:${bed.cluster.ports[0]}`],
    ] as const,
);

describe.each(targets)('the demo and the swarm CLI on %s', (_kind, connect, flags) => {
  const client = connect();
  afterAll(() => client.disconnect());

  it('runs real agents that heartbeat, talk, elect, vote and work, then shows them from the CLI', async () => {
    const prefix = `demo${Date.now().toString(36)}`;
    const lines: string[] = [];
    const report = await runDemo(client, { swarms: 2, agents: 6, durationMs: 5000, prefix, log: (l) => lines.push(l) });
    expect(report.swarms).toHaveLength(2);
    expect(report.agents).toBe(12);
    expect(report.heartbeatRounds).toBeGreaterThanOrEqual(8);
    expect(report.messages).toBeGreaterThan(0);
    expect(report.elections).toBeGreaterThanOrEqual(2);
    expect(report.tasksCompleted).toBeGreaterThan(0);
    expect(lines.some((l) => / leads \(epoch \d+\)/.test(l))).toBe(true);
    const registry = new SwarmRegistry(client, prefix);
    const [first] = report.swarms as [string];
    const view = await registry.view(first);
    // The demo stops its swarms when it ends; their history stays.
    expect(view.status).toBe('stopped');
    expect(await registry.messageCount(first)).toBe((await registry.messages(first, undefined, 1000)).length);

    const listed = swarmdeck(['swarms', 'list', ...flags, '--prefix', prefix, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const list = JSON.parse(listed.stdout) as { swarms: { id: string; agents: number; status: string }[] };
    expect(list.swarms.map((s) => s.id).sort()).toEqual([...report.swarms].sort());
    expect(list.swarms.every((s) => s.agents === 6 && s.status === 'stopped')).toBe(true);

    const shown = swarmdeck(['swarm', 'show', first, ...flags, '--prefix', prefix]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`swarm ${first} ".*" \\(swarmdeck\\): stopped, mesh, quorum consensus`));
    expect(shown.stdout).toMatch(/mesh: every agent talks to every other/);
    const json = JSON.parse(swarmdeck(['swarm', 'show', first, ...flags, '--prefix', prefix, '--json']).stdout) as {
      edges: unknown[];
      agents: unknown[];
    };
    expect(json.edges).toHaveLength(15);
    expect(json.agents).toHaveLength(6);

    const missing = swarmdeck(['swarm', 'show', 'no-such-swarm', ...flags, '--prefix', prefix, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(swarmdeck(['demo', ...flags, '--swarms', '0', '--json']).code).toBe(2);
    expect(swarmdeck(['swarm', 'list', ...flags]).code).toBe(2);
    // A 5 s demo, then six CLI processes one after another: on a loaded 2-core machine, more than the default 30 s.
  }, 120_000);
});
