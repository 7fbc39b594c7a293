import { afterAll, describe, expect, it } from 'vitest';
import { OP_NAMES, type OpInput, type OpName } from '../../src/shared/contract';
import { defaultProfileInput } from '../../src/shared/model/profile';
import { harness, standalone } from '../support/bed';

const h = harness();
afterAll(() => h.services.dispose());

/** One valid input per operation; the type makes a new operation fail to compile until it has one. */
const samples: { [N in OpName]: OpInput<N> } = {
  'profiles.list': {},
  'profiles.save': { profile: { ...defaultProfileInput(), name: 'sample' }, password: 'secret' },
  'profiles.duplicate': { id: 'sample', name: 'sample copy' },
  'profiles.remove': { id: 'sample' },
  'profiles.export': { ids: ['sample'] },
  'profiles.import': { json: '{"format":"swarmdeck-profiles","version":1,"profiles":[]}' },
  'profiles.test': { profile: standalone(), password: 'x', storedPasswordOf: 'sample' },
  'connections.list': {},
  'connections.connect': { profileId: 'sample' },
  'connections.disconnect': { profileId: 'sample' },
  'health.snapshot': { profileId: 'sample' },
  'alerts.thresholds': {},
  'alerts.setThresholds': { latencyWarnMs: 1000, memoryWarnRatio: 0.8, memoryCritRatio: 0.9 },
  'app.info': {},
  'sandbox.status': {},
  'sandbox.start': {},
  'redis.ping': { profileId: 'sample' },
  'queues.list': { profileId: 'sample' },
  'locks.list': { profileId: 'sample', includeFree: true },
  'locks.forceRelease': { profileId: 'sample', resource: 'deploy/main', fence: 3, confirm: 'deploy/main' },
  'state.get': { profileId: 'sample', key: 'agents:config' },
  'state.history': { profileId: 'sample', key: 'agents:config', count: 10 },
  'state.set': { profileId: 'sample', key: 'agents:config', value: '{"a":1}', expectVersion: 2, ttlMs: 60_000, source: 'agent-1', meta: { reason: 'tune' } },
  'state.keys': { profileId: 'sample', namespace: 'agents', budget: 1000 },
  'memory.spaces': { profileId: 'sample' },
  'memory.get': { profileId: 'sample', agent: 'agent-1', namespace: 'notes', key: 'plan/today' },
  'memory.set': { profileId: 'sample', agent: 'agent-1', namespace: 'notes', key: 'plan/today', value: '{"a":1}', tags: ['plan'], ttlMs: 60_000, expectVersion: 0, by: 'agent-1' },
  'memory.delete': { profileId: 'sample', namespace: 'shared-notes', key: 'plan/today', expectVersion: 1 },
  'memory.search': { profileId: 'sample', agent: 'agent-1', namespace: 'notes', prefix: 'plan/', tag: 'plan', text: 'deploy', cursor: 'plan/a', count: 20 },
  'memory.conflicts': { profileId: 'sample', namespace: 'notes' },
  'memory.resolve': { profileId: 'sample', agent: 'agent-1', namespace: 'notes', key: 'plan/today', choice: 'value', value: '{"a":2}', confirm: 'agent-1/notes/plan/today' },
  'config.get': { profileId: 'sample', scope: 'swarm' },
  'config.history': { profileId: 'sample', scope: 'swarm', count: 10 },
  'config.set': { profileId: 'sample', scope: 'swarm', value: { maxAgents: 10 }, expectVersion: 1, reason: 'smaller swarm' },
  'config.diff': { profileId: 'sample', otherProfileId: 'other', scope: 'monitoring' },
  'config.promote': { fromProfileId: 'sample', toProfileId: 'other', scope: 'monitoring', expectVersion: 2, reason: 'release', confirm: 'monitoring' },
  'config.rollback': { profileId: 'sample', scope: 'monitoring', version: 1, reason: 'bad thresholds', confirm: 'monitoring' },
  'messages.publish': { profileId: 'sample', channel: 'agents.tasks', type: 'task.created', payload: '{"id":1}', confirm: 'agents.tasks' },
  'messages.watch': { profileId: 'sample', channel: 'agents.tasks' },
  'messages.read': { jobId: 'job-abc-0123', after: 10 },
  'messages.routes': { profileId: 'sample' },
  'messages.routeSet': { profileId: 'sample', route: { name: 'audit', match: 'task.*', target: { kind: 'stream', stream: 'audit' }, filters: { field: { path: 'data.kind', contains: 'x' }, maxBytes: 4096, rate: { limit: 10, windowMs: 1000 } } }, confirm: 'audit' },
  'messages.routeDelete': { profileId: 'sample', name: 'audit', confirm: 'audit' },
  'queues.summary': { profileId: 'sample', queue: 'jobs', minutes: 10 },
  'queues.tasks': { profileId: 'sample', queue: 'jobs', state: 'dead', offset: 0, limit: 50 },
  'queues.task': { profileId: 'sample', queue: 'jobs', id: 't1' },
  'queues.events': { profileId: 'sample', queue: 'jobs', count: 50 },
  'audit.recent': { profileId: 'sample', count: 20, target: 'jobs', action: 'queue.' },
  'metrics.query': { profileId: 'sample', series: 'queue.wait_ms', tags: { queue: 'jobs' }, from: 1_700_000_000_000, to: 1_700_000_060_000, resolution: '1s' },
  'metrics.series': { profileId: 'sample' },
  'metrics.usage': { profileId: 'sample' },
  'alerts.rules': { profileId: 'sample' },
  'alerts.setRule': { profileId: 'sample', rule: { name: 'Slow', series: 'redis.ping_ms', stat: 'p99', windowSec: 60, op: 'gt', threshold: 100, forSec: 30, hysteresis: 10, severity: 'warning', enabled: true } },
  'alerts.deleteRule': { profileId: 'sample', id: 'default-latency' },
  'alerts.list': { profileId: 'sample', count: 50 },
  'alerts.ack': { profileId: 'sample', id: 'default-latency-1700000000000' },
  'analytics.analyze': { profileId: 'sample', from: 1_700_000_000_000, to: 1_700_003_600_000 },
  'analytics.report': { profileId: 'sample', from: 1_700_000_000_000, to: 1_700_003_600_000 },
  'analytics.reportResult': { jobId: 'job-mabc123-0123abcd' },
  'metrics.record': { profileId: 'sample', series: 'agent.tokens', value: 12.5, tags: { agent: 'a1' } },
  'jobs.list': {},
  'jobs.get': { jobId: 'job-sample' },
  'jobs.cancel': { jobId: 'job-sample' },
  'diagnostics.run': { profileId: 'sample', kind: 'memory', options: { opsPerSecond: 5000, useReplicas: true, maxKeys: 1000, pingSamples: 50 } },
  'diagnostics.report': { jobId: 'job-sample' },
  'diagnostics.export': { jobId: 'job-sample', format: 'html' },
  // `data` is free-form JSON, so the sample leaves it out: every other field must be checked.
  'queues.enqueue': { profileId: 'sample', queue: 'jobs', task: { priority: 'high', delayMs: 10, maxAttempts: 3, requires: ['gpu'] } },
  'queues.action': { profileId: 'sample', queue: 'jobs', action: 'purge', state: 'dead', confirm: 'jobs' },
  'swarms.list': { profileId: 'sample' },
  'swarms.show': { profileId: 'sample', swarmId: 's1', source: 'swarmdeck' },
  'swarms.events': { profileId: 'sample', swarmId: 's1', source: 'swarmdeck', before: '1-0', count: 50 },
  'swarms.messages': { profileId: 'sample', swarmId: 's1', after: '1-0', count: 50 },
  'swarms.action': { profileId: 'sample', swarmId: 's1', action: 'removeAgent', agentId: 'a1', confirm: 's1' },
  'swarms.watch': { profileId: 'sample', swarmId: 's1', source: 'swarmdeck', count: 40 },
  'swarms.unwatch': { profileId: 'sample', watchId: 'w-0123abcd' },
  'swarms.cfnBlocking': { profileId: 'sample' },
  'swarms.cfnTasks': { profileId: 'sample' },
  'swarms.cfnStates': { profileId: 'sample', swarmId: 's1' },
  'swarms.cfnSaved': { profileId: 'sample', swarmId: 's1', kind: 'snapshot', id: 'snap_1' },
  'swarms.propose': { profileId: 'sample', swarmId: 's1', proposal: { title: 'Ship it', detail: 'why', ttlMs: 60_000, threshold: 0.66, voters: ['a1'] }, confirm: 's1' },
  'backup.list': { profileId: 'sample' },
  'backup.show': { profileId: 'sample', backupId: '20261127T085000000Z-abc123' },
  'backup.start': { profileId: 'sample', scope: { kind: 'components', components: ['queues'] }, swarmId: 's1', format: 'rdb' },
  'backup.verify': { profileId: 'sample', backupId: '20261127T085000000Z-abc123', testRestore: true },
  'backup.preflight': { profileId: 'sample', backupProfileId: 'other', backupId: '20261127T085000000Z-abc123' },
  'backup.dryRun': { profileId: 'sample', backupProfileId: 'other', backupId: '20261127T085000000Z-abc123', selection: { patterns: ['sd:*'], prefixes: ['sd:'], types: ['hash'] }, policies: { conflict: 'skip', ttl: 'remaining', intoPrefix: { from: 'sd:', to: 'copy:' } }, samples: 5 },
  'backup.restore': { profileId: 'sample', backupId: '20261127T085000000Z-abc123', selection: { patterns: ['sd:*'] }, policies: { conflict: 'replace', ttl: 'absolute' }, verify: true, confirm: 'sample' },
  'backup.restores': { profileId: 'sample' },
  'backup.undo': { profileId: 'sample', restoreId: '20261127T085000000Z-abc123', confirm: 'sample' },
  'backup.delete': { profileId: 'sample', backupId: '20261127T085000000Z-abc123', confirm: 'sample' },
  'backup.retention.preview': { profileId: 'sample', policy: { daily: 7, weekly: 4, monthly: 12, timeZone: 'Europe/Paris' } },
  'backup.retention.apply': { profileId: 'sample', policy: { daily: 3, weekly: 0, monthly: 0 }, confirm: 'sample' },
  'backup.schedule.get': { profileId: 'sample' },
  'backup.schedule.set': { profileId: 'sample', schedule: { kind: 'cron', expression: '0 3 * * *', timeZone: 'UTC' } },
  'backup.schedule.status': { profileId: 'sample' },
  'backup.recovery.scan': { profileId: 'sample' },
  'backup.recovery.apply': { profileId: 'sample', confirm: 'sample' },
  'backup.importRdb': { profileId: 'sample', rdbPath: '/tmp/dump.rdb' },
  'console.commands': { profileId: 'sample' },
  'console.exec': { profileId: 'sample', line: 'GET a', node: '127.0.0.1:7000', confirm: 'sample', full: true },
  'console.keys': { profileId: 'sample', pattern: 'sd:*', count: 100, budget: 1000, limit: 10, node: '127.0.0.1:7000' },
  'console.monitor': { profileId: 'sample', seconds: 5, maxCommands: 100, commands: ['get'], contains: 'x', node: '127.0.0.1:7000', confirm: 'sample' },
  'console.monitorLines': { jobId: 'job-sample', after: 0, limit: 10 },
  'console.history': { profileId: 'sample', search: 'get', limit: 10 },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every way of breaking one leaf of a valid input: its path and the broken input. */
function* corruptions(value: Json, path: string[] = []): Generator<{ path: string; kind: string; value: Json }> {
  const wrongType = (v: Json): Json => (typeof v === 'string' ? 12345 : typeof v === 'number' ? '12' : typeof v === 'boolean' ? 'yes' : Array.isArray(v) ? 'not-a-list' : 7);
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      for (const inner of corruptions(child, [...path, key])) {
        const copy = structuredClone(value) as Record<string, Json>;
        copy[key] = inner.value;
        yield { ...inner, value: copy };
      }
    }
    return;
  }
  yield { path: path.join('.'), kind: 'wrong type', value: wrongType(value) };
  if (typeof value === 'string') yield { path: path.join('.'), kind: 'oversize', value: 'x'.repeat(3_000_000) };
}

describe('every contract operation rejects malformed input with a typed error', () => {
  it('covers every operation', () => {
    expect(Object.keys(samples).sort()).toEqual([...OP_NAMES].sort());
  });

  for (const op of OP_NAMES) {
    it(`${op}`, async () => {
      const before = await h.services.profiles.list();
      const sample = samples[op] as unknown as Json;
      const bad: { label: string; input: unknown }[] = [
        { label: 'not an object', input: 42 },
        { label: 'null', input: null },
        { label: 'missing input', input: undefined },
        { label: 'unknown field', input: { ...(sample as object), surprise: true } },
      ];
      for (const c of corruptions(sample)) bad.push({ label: `${c.kind} at ${c.path}`, input: c.value });
      for (const { label, input } of bad) {
        const envelope = await h.dispatch(op, input);
        // Optional fields accept absence, so only report when a broken input got through.
        expect(envelope.ok, `${op}: ${label} was accepted`).toBe(false);
        if (!envelope.ok) {
          expect(envelope.error.code, `${op}: ${label}`).toBe('VALIDATION');
          expect(envelope.error.message.length).toBeLessThan(400);
          expect(envelope.error.details?.fields?.length).toBeGreaterThan(0);
        }
      }
      expect(await h.services.profiles.list()).toEqual(before);
    });
  }

  it('names an unknown operation', async () => {
    const envelope = await h.dispatch('profiles.drop', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
  });

  it('reports field paths a form can show', async () => {
    const envelope = await h.dispatch('profiles.save', {
      profile: { ...defaultProfileInput(), name: '', topology: { kind: 'standalone', host: 'h', port: 70000, db: 0 } },
    });
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) {
      const paths = envelope.error.details?.fields?.map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['profile.name', 'profile.topology.port']));
    }
    expect(await h.services.profiles.list()).toEqual([]);
  });
});
