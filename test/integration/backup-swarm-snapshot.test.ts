import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/shared/contract';
import { SwarmdeckError } from '../../src/shared/errors';
import type { BackupRunResult } from '../../src/shared/model/backup';
import type { JobView } from '../../src/shared/model/job';
import type { VoteValue } from '../../src/shared/model/swarm';
import { createBackup, openBackup, readRecords, restoreBackup, samePayloadContent, verifyBackup } from '../../src/main/features/backup';
import { Consensus } from '../../src/main/features/swarms/consensus';
import { SwarmMessenger } from '../../src/main/features/swarms/messenger';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import type { RedisClient } from '../../src/main/redis/client-options';
import { swarmKeys } from '../../src/main/redis/keyspace';
import { cluster, harness, ok, standalone } from '../support/bed';
import { dropMany, seedMany } from './backup-seed';

const h = harness();
afterAll(() => h.services.dispose());
const run = Date.now().toString(36);
const VALUES: VoteValue[] = ['yes', 'no', 'abstain'];
const AGENTS = 12;

async function job<R>(call: Promise<Envelope>): Promise<R> {
  const started = await ok<JobView>(call);
  const view = await h.services.jobs.settled(started.id);
  if (view.state !== 'done') throw new Error(`job ${view.kind} ${view.state}: ${view.error?.code} ${view.error?.message}`);
  return view.result as R;
}

/** The vote hash's count of each value: what the proposal's tallies must say in any consistent copy. */
async function talliesOf(
  c: RedisClient,
  votesKey: string,
  proposalKey: string,
): Promise<{ counted: Record<string, number>; recorded: Record<string, number> }> {
  const recorded: Record<string, number> = { yes: 0, no: 0, abstain: 0 };
  for (const json of Object.values(await c.hgetall(votesKey))) {
    const v = JSON.parse(json) as { value: string };
    recorded[v.value] = (recorded[v.value] ?? 0) + 1;
  }
  const [yes, no, abstain] = await c.hmget(proposalKey, 'yes', 'no', 'abstain');
  return { counted: { yes: Number(yes ?? 0), no: Number(no ?? 0), abstain: Number(abstain ?? 0) }, recorded };
}

// A scenario: each test uses what the one before it made (a backup, its id, a queue), so its order is kept under --sequence.shuffle.
for (const [kind, profileInput] of [
  ['standalone', standalone],
  ['cluster', cluster],
] as const)
  describe(`point-in-time swarm snapshot on ${kind}`, { shuffle: false }, () => {
    const prefix = `pit${run}${kind.slice(0, 2)}`;
    const copies = [0, 1, 2].map((n) => `pit${run}${kind.slice(0, 2)}c${n}`);
    const swarmId = 'pit';
    let profileId = '';
    let client: RedisClient;
    let registry: SwarmRegistry;
    let consensus: Consensus;
    const padding = `pitpad:${run}:${kind}:`;
    // The padding only has to exist while the snapshot runs; later tests scan the same servers.
    afterAll(async () => {
      if (client) await dropMany(client, padding, 20_000);
    });

    it('takes a copy under concurrent votes and heartbeats whose tallies, keys and payloads agree', async () => {
      const p = await h.services.profiles.save({ ...profileInput(), name: `pit-${kind}`, keyPrefix: prefix });
      await h.services.connections.connect(p.id);
      profileId = p.id;
      client = h.services.connections.session(profileId).client;
      registry = new SwarmRegistry(client, prefix);
      consensus = new Consensus(registry);
      // Unrelated keys make a SCAN take many calls, as on a real server: time passes between its batches.
      await seedMany(client, padding, 20_000);
      await registry.create({ id: swarmId, name: swarmId, topology: 'mesh', strategy: 'quorum', maxAgents: 100 });
      const agents = Array.from({ length: AGENTS }, (_, i) => `a${i}`);
      for (const id of agents) await registry.register(swarmId, { id, ttlMs: 60_000 });
      await registry.heartbeatMany(
        swarmId,
        agents.map((agentId) => ({ agentId })),
      );
      const messenger = new SwarmMessenger(registry, swarmId);
      for (let i = 0; i < 5; i += 1) await messenger.send('a0', 'a1', 'note', `hello ${i}`);

      let stop = false;
      let votes = 0;
      const writer = (async () => {
        let proposal = await consensus.propose(swarmId, { title: 'p', ttlMs: 60_000 });
        for (let n = 0; !stop; n += 1) {
          const voter = agents[n % AGENTS] as string;
          try {
            // Values cycle so that votes change and tallies move both ways.
            await consensus.vote(swarmId, proposal, { voter, value: VALUES[(n * 7) % 3] as VoteValue });
            votes += 1;
          } catch (error) {
            if (!(error instanceof SwarmdeckError) || error.code !== 'CONFLICT') throw error;
            proposal = await consensus.propose(swarmId, { title: `p${n}`, ttlMs: 60_000 });
          }
          if (n % 5 === 0) await registry.heartbeat(swarmId, { agentId: voter, load: n % 100 });
        }
      })();
      const backups: string[] = [];
      try {
        while (votes < 20) await new Promise((r) => setTimeout(r, 5));
        for (let i = 0; i < 3; i += 1) {
          // The last one also as .rdb: the export reads the snapshot's records like any backup's.
          const result = await job<BackupRunResult>(
            h.dispatch('backup.start', { profileId, scope: { kind: 'all' }, swarmId, ...(i === 2 ? { format: 'rdb' } : {}) }),
          );
          backups.push(result.backup.id);
          if (i === 2) expect(result.rdb?.keys).toBe(result.backup.keys);
        }
      } finally {
        stop = true;
        await writer;
      }

      const torn: string[] = [];
      for (const [n, backupId] of backups.entries()) {
        const opened = await openBackup(h.services.backups.root, profileId, backupId);
        const into = copies[n] as string;
        const from = swarmKeys(prefix, swarmId).base;
        const to = swarmKeys(into, swarmId).base;
        const report = await restoreBackup({
          root: h.services.backups.root,
          backup: { profileId, id: backupId },
          target: client,
          targetProfile: { id: profileId, name: p.name, environment: 'development' },
          conflict: 'fail',
          ttl: 'absolute',
          rewrite: { from, to },
        });
        expect(report.status).toBe('completed');
        // Every restored key equals its record.
        const mismatched: string[] = [];
        for await (const record of readRecords(opened)) {
          const copy = Buffer.concat([Buffer.from(to), record.key.subarray(Buffer.byteLength(from))]);
          const payload = await client.dumpBuffer(copy);
          if (payload === null || !samePayloadContent(payload, record.payload)) mismatched.push(copy.toString());
        }
        expect(mismatched).toEqual([]);
        // Every key the copied swarm refers to is in the copy, and every tally equals its votes.
        const k = swarmKeys(into, swarmId);
        for (const key of [k.swarm, k.agents, k.heartbeats, k.events, k.proposals, k.messages]) {
          if ((await client.exists(key)) !== 1) torn.push(`backup ${n}: missing ${key}`);
        }
        for (const agent of await client.zrange(k.agents, 0, -1)) {
          if ((await client.exists(k.agent(agent))) !== 1) torn.push(`backup ${n}: missing agent ${agent}`);
        }
        const proposals = await client.zrange(k.proposals, 0, -1);
        expect(proposals.length).toBeGreaterThan(0);
        for (const id of proposals) {
          if ((await client.exists(k.proposal(id), k.eligible(id))) !== 2) torn.push(`backup ${n}: missing proposal ${id}`);
          const { counted, recorded } = await talliesOf(client, k.votes(id), k.proposal(id));
          if (JSON.stringify(counted) !== JSON.stringify(recorded))
            torn.push(`backup ${n}: ${id} counts ${JSON.stringify(counted)} but holds ${JSON.stringify(recorded)}`);
        }
      }
      expect(torn).toEqual([]);
      expect((await verifyBackup(h.services.backups.root, profileId, backups[0] as string, client)).ok).toBe(true);
      for (const backupId of backups)
        expect((await openBackup(h.services.backups.root, profileId, backupId)).manifest.pointInTime).toBe(true);
    });

    it('refuses a swarm past the size limit with a typed error naming the limit, and writes nothing', async () => {
      const source = { id: profileId, name: `pit-${kind}`, environment: 'development' as const };
      const refused = await createBackup(client, source, {
        root: h.services.backups.root,
        scope: { kind: 'swarm', prefix, swarmId },
        swarmLimits: { keys: 10, bytes: 1 << 30 },
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(SwarmdeckError);
      expect((refused as SwarmdeckError).code).toBe('CONFLICT');
      expect((refused as SwarmdeckError).details).toMatchObject({ reason: 'too-large', limit: 'keys', max: 10 });
      expect((refused as SwarmdeckError).message).toMatch(/more than 10 keys/);
      const bytes = await createBackup(client, source, {
        root: h.services.backups.root,
        scope: { kind: 'swarm', prefix, swarmId },
        swarmLimits: { keys: 20_000, bytes: 1000 },
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((bytes as SwarmdeckError).details).toMatchObject({ reason: 'too-large', limit: 'bytes', max: 1000 });
      const listed = await h.services.backups.list(profileId);
      expect(listed.length).toBe(3);
    });
  });
