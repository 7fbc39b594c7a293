import { afterAll, describe, expect, it } from 'vitest';
import type { QueueSummary } from '../../src/shared/model/task';
import { harness, ok, standalone } from '../support/bed';

const h = harness();
afterAll(() => h.services.dispose());

const connected = (name: string, overrides: Parameters<typeof standalone>[0] = {}): Promise<string> =>
  h.connected({ ...standalone(), name, ...overrides });

describe('operator actions pass one guard in main', () => {
  const queue = `guard-${Date.now().toString(36)}`;

  it('refuses a wrong confirmation on a development profile and changes nothing', async () => {
    const dev = await connected('guards-dev');
    await ok(h.dispatch('queues.enqueue', { profileId: dev, queue, task: { data: 1 } }));
    const wrong = await h.dispatch('queues.action', { profileId: dev, queue, action: 'purge', state: 'waiting', confirm: 'wrong-name' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(JSON.stringify(wrong)).toContain(`--confirm ${queue}`);
    expect((await ok<QueueSummary>(h.dispatch('queues.summary', { profileId: dev, queue }))).counts.waiting).toBe(1);
    // The same confirmation, right, runs; none at all runs too on development.
    expect(
      await ok<{ affected: number }>(
        h.dispatch('queues.action', { profileId: dev, queue, action: 'purge', state: 'waiting', confirm: queue }),
      ),
    ).toEqual({ affected: 1 });
  });

  it('refuses a wrong confirmation for a swarm action on development', async () => {
    const dev = await connected('guards-swarm-dev');
    const wrong = await h.dispatch('swarms.action', { profileId: dev, swarmId: 'no-such-swarm', action: 'stop', confirm: 'other' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(JSON.stringify(wrong)).toContain('--confirm no-such-swarm');
  });

  it("refuses on a read-only profile in the operator's words, before asking Redis anything", async () => {
    const ro = await connected('guards-ro', { readOnly: true });
    // A queue that does not exist would answer NOT_FOUND if a command had been sent first.
    const retry = await h.dispatch('queues.action', { profileId: ro, queue: 'never-made', action: 'retry', id: 't1' });
    expect(retry).toMatchObject({
      ok: false,
      error: { code: 'READ_ONLY', message: 'profile "guards-ro" is read-only: retrying a task was not done' },
    });
    const stop = await h.dispatch('swarms.action', { profileId: ro, swarmId: 's1', action: 'stop' });
    expect(stop).toMatchObject({
      ok: false,
      error: { code: 'READ_ONLY', message: 'profile "guards-ro" is read-only: stopping the swarm was not done' },
    });
  });
});
