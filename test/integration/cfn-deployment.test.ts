import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cfnCommands } from '../../src/main/features/swarms/cfn-cli';
import type { Context } from '../../src/main/hosts/cli/context';
import type { RedisClient } from '../../src/main/redis/client-options';
import { claudeFlowNoviceKeys as K } from '../../src/main/redis/keyspace';
import type { CfnBlockingWait, CfnStates, CfnTaskSource } from '../../src/shared/model/cfn';
import type { MessageView, SwarmDetail, SwarmList } from '../../src/shared/model/swarm';
import { bed, cluster, harness, ok, standalone, tempHome } from '../support/bed';
import { CFN_PASSWORD, writeCfnDeployment } from '../support/claude-flow-novice';

const h = harness();
afterAll(() => h.services.dispose());

const DB = 5;
const targets: [string, () => RedisClient, () => ReturnType<typeof standalone>, Context['flags']][] = [
  [
    'standalone',
    () => new Redis(bed.standalone.port, '127.0.0.1', { db: DB }),
    () => standalone({ topology: { kind: 'standalone', host: '127.0.0.1', port: bed.standalone.port, db: DB } }),
    { url: `redis://127.0.0.1:${bed.standalone.port}/${DB}` },
  ],
  [
    'cluster',
    () => new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]),
    () => cluster(),
    { cluster: `127.0.0.1:${bed.cluster.ports[0]}` },
  ],
];

// One deployment read in steps; the last counts every command the steps sent, so their order is kept under --sequence.shuffle.
for (const [kind, connect, profile, cliFlags] of targets)
  describe(`a claude-flow-novice deployment on ${kind}, read as it really is`, { shuffle: false }, () => {
    const client = connect();
    const tag = randomBytes(3).toString('hex');
    let fx: Awaited<ReturnType<typeof writeCfnDeployment>>;
    let profileId: string;
    // Every key written, as DUMP bytes: set and hash members of a fresh server dump in a stable order.
    const dumpAll = () => Promise.all(fx.keys.map(async (k) => `${k}=${(await client.dumpBuffer(k))?.toString('base64') ?? 'none'}`));
    let before: string[];
    const logged: string[] = [];

    beforeAll(async () => {
      fx = await writeCfnDeployment(client, tag);
      before = await dumpAll();
      for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
        vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
          logged.push(args.map(String).join(' '));
        });
      profileId = (await h.services.profiles.save({ ...profile(), name: `cfn-deploy-${kind}` })).id;
      await h.services.connections.connect(profileId);
    });
    afterAll(async () => {
      vi.restoreAllMocks();
      // One key per DEL: on a cluster they live on different slots. The shared sets and lists lose only this run's members.
      const { ids, coord } = fx;
      await client.srem(K.cliActive, ids.cliRunning);
      await client.hdel(K.cliIndex, ids.cliRunning, ids.cliDone);
      await client.zrem(K.index, ids.healthy, ids.stale, ids.orphaned);
      await client.srem(K.status('active'), ids.healthy, ids.stale, ids.orphaned, ...ids.ghosts);
      await client.zrem(K.archiveIndex, ids.archived);
      await client.hdel(K.agents, `coder-2-${tag}`, `tester-${tag}`);
      const shared = new Set([K.cliActive, K.cliIndex, K.index, K.status('active'), K.archiveIndex, K.agents]);
      for (const key of fx.keys) if (!shared.has(key)) await client.del(key);
      expect(coord.stuck).toContain(tag);
      client.disconnect();
    });

    const outputs: string[] = [];
    const keep = <T>(value: T): T => {
      outputs.push(JSON.stringify(value));
      return value;
    };

    it('lists every swarm — CLI, registry and archived — with its status as stored and as evidenced, and counts the ghosts', async () => {
      const list = keep(await ok<SwarmList>(h.dispatch('swarms.list', { profileId })));
      const mine = (id: string) => list.swarms.find((s) => s.id === id);
      const { ids } = fx;
      expect(mine(ids.cliRunning)).toMatchObject({
        origin: 'cli',
        storedStatus: 'running',
        status: 'running',
        name: 'Refactor the auth module',
        topology: 'mesh',
        strategy: 'development',
      });
      expect(mine(ids.cliDone)).toMatchObject({ origin: 'cli', storedStatus: 'completed', status: 'stopped', agents: 3 });
      expect(mine(ids.healthy)).toMatchObject({ origin: 'registry', storedStatus: 'active', status: 'running', findings: 0 });
      expect(mine(ids.stale)).toMatchObject({ origin: 'registry', storedStatus: 'active', status: 'stale' });
      expect(mine(ids.orphaned)).toMatchObject({ origin: 'registry', status: 'running' });
      expect(mine(ids.archived)).toMatchObject({ origin: 'archive', storedStatus: 'completed', status: 'archived' });
      expect(list.ghosts?.filter((g) => g.id.endsWith(tag)).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        ids.ghosts.map((id) => ({ id, status: 'active' })),
      );
      // stale, its offline agent and so no live agent, the coordinator stuck on a peer and that peer's own stale wait
      expect(mine(ids.stale)?.findings).toBe(5);
      expect(mine(ids.orphaned)?.findings).toBe(2);
    });

    it('finds the stuck coordinator, names the peer that never read its signal, and leaves a finished wait alone', async () => {
      const waits = keep(await ok<CfnBlockingWait[]>(h.dispatch('swarms.cfnBlocking', { profileId })));
      const { coord, ids } = fx;
      const of = (c: string) => waits.find((w) => w.coordinator === c);
      const stuck = of(coord.stuck);
      expect(stuck).toMatchObject({
        swarmId: ids.stale,
        status: 'waiting',
        iteration: 2,
        phase: 'loop3',
        signalType: 'completion',
        verdict: 'stuck',
        culprit: coord.silent,
      });
      expect(stuck?.message).toContain(`stuck on ${coord.silent}`);
      expect(stuck?.peers.find((p) => p.coordinator === coord.acked)).toMatchObject({
        acknowledged: [`sig-${tag}-1`],
        status: 'complete',
        escalated: false,
      });
      expect(stuck?.peers.find((p) => p.coordinator === coord.silent)).toMatchObject({
        acknowledged: [],
        unreadSignal: `sig-${tag}-2`,
        escalated: false,
      });
      expect(stuck?.peers.find((p) => p.coordinator === coord.silent)?.heartbeatAgeMs).toBeGreaterThan(120_000);
      expect(of(coord.done)).toMatchObject({ swarmId: ids.healthy, status: 'complete', verdict: 'finished' });
      expect(of(coord.done)?.culprit).toBeUndefined();
      expect(of(coord.waiter)).toMatchObject({ swarmId: ids.orphaned, verdict: 'dead', culprit: coord.dead });
      expect(of(coord.waiter)?.peers[0]).toMatchObject({
        coordinator: coord.dead,
        escalated: true,
        unreadSignal: `sig-${tag}-3`,
        replacement: { coordinator: coord.spawned, started: false },
      });

      const detail = keep(
        await ok<SwarmDetail>(h.dispatch('swarms.show', { profileId, swarmId: ids.stale, source: 'claude-flow-novice' })),
      );
      expect(detail.status).toBe('stale');
      expect(detail.findings.map((f) => `${f.kind}:${f.agent ?? ''}`)).toEqual(
        expect.arrayContaining(['stale:', `coordinator-stuck:${coord.stuck}`]),
      );
      expect(detail.findings.find((f) => f.agent === coord.stuck)?.message).toContain(coord.silent);
      const healthy = keep(
        await ok<SwarmDetail>(h.dispatch('swarms.show', { profileId, swarmId: ids.healthy, source: 'claude-flow-novice' })),
      );
      expect(healthy.findings).toEqual([]);
    });

    it('shows its leader, task queue, agents and routing failures', async () => {
      const t = keep(await ok<CfnTaskSource>(h.dispatch('swarms.cfnTasks', { profileId })));
      expect(t.leader?.coordinator).toBe(fx.coord.stuck);
      expect(t.leader?.ttlMs).toBeGreaterThan(0);
      expect(t.queue.depth).toBe(3);
      expect(t.queue.oldestAgeMs).toBeGreaterThanOrEqual(7 * 60_000);
      expect(t.queue.entries.map((e) => e.id)).toEqual([2, 1, 0].map((i) => `task_${tag}_${i}`));
      expect(t.agents.filter((a) => a.id.endsWith(tag))).toEqual([
        { id: `coder-2-${tag}`, type: 'coder', status: 'busy', load: 0.8 },
        { id: `tester-${tag}`, type: 'tester', status: 'idle', load: 0 },
      ]);
      expect(t.failures[0]).toMatchObject({ taskId: `task_${tag}_9`, error: 'No agent available for capability "security-review"' });
    });

    it('lists snapshots and checkpoints and shows the saved state with the password redacted', async () => {
      const s = keep(await ok<CfnStates>(h.dispatch('swarms.cfnStates', { profileId, swarmId: fx.ids.stale })));
      expect(s.saved.map((r) => `${r.kind}:${r.id}:${r.label}`)).toEqual([
        `checkpoint:ck_${tag}_1:iteration 2`,
        `snapshot:snap_${tag}_1:before loop 3`,
      ]);
      expect(s.saved.every((r) => r.bytes > 50)).toBe(true);
      expect(s.state).toContain('"blockingCoordinators"');
      expect(s.state).toContain('[redacted]');
      const snap = keep(
        await ok<{ state: string | null }>(
          h.dispatch('swarms.cfnSaved', { profileId, swarmId: fx.ids.stale, kind: 'snapshot', id: `snap_${tag}_1` }),
        ),
      );
      expect(snap.state).toContain('"before loop 3"');
      expect(snap.state).toContain('[redacted]');
    });

    it('puts messages from every history channel in the swarm timeline', async () => {
      const messages = keep(
        await ok<MessageView[]>(
          h.dispatch('swarms.messages', { profileId, swarmId: fx.ids.stale, source: 'claude-flow-novice', count: 50 }),
        ),
      );
      expect(messages.map((m) => m.kind)).toEqual(['status_update', 'iteration_started', 'review_request', 'blocking_signal']);
      keep(await ok(h.dispatch('swarms.events', { profileId, swarmId: fx.ids.stale, source: 'claude-flow-novice', count: 50 })));
    });

    it('prints it through the CLI (text and JSON)', async () => {
      const ctx = (json: boolean): Context => ({
        flags: { ...cliFlags, ...(json ? { json: true } : {}) },
        home: tempHome(),
        services: h.services,
        api: h.api,
      });
      const cfn = cfnCommands[0];
      for (const action of [['swarms'], ['blocking'], ['tasks'], ['states', fx.ids.stale]]) {
        const out = await cfn?.run(['cfn', ...action], ctx(true));
        outputs.push(out?.text ?? '', JSON.stringify(out?.json));
      }
      const blocking = await cfn?.run(['cfn', 'blocking'], ctx(false));
      expect(blocking?.text).toMatch(new RegExp(`${fx.coord.stuck}\\s.*stuck`));
      expect(blocking?.text).toContain(`sig-${tag}-2`);
      expect((blocking?.json as CfnBlockingWait[]).find((w) => w.coordinator === fx.coord.waiter)?.verdict).toBe('dead');
    });

    it('never shows the password anywhere, and never writes a key', async () => {
      for (const id of Object.values(fx.ids).flat()) {
        const r = await h.dispatch('swarms.show', { profileId, swarmId: id, source: 'claude-flow-novice' });
        outputs.push(JSON.stringify(r));
      }
      expect(outputs.length).toBeGreaterThan(20);
      expect(outputs.filter((o) => o.includes(CFN_PASSWORD))).toEqual([]);
      expect(logged.filter((l) => l.includes(CFN_PASSWORD))).toEqual([]);
      expect(await dumpAll()).toEqual(before);
    });
  });
