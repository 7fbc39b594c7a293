import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertView } from '../../src/shared/model/metrics';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useAlerts } = await import('../../src/renderer/src/features/analytics/alerts-store');
const { startLiveEvents } = await import('../../src/renderer/src/app/live-events');

const alert = (id: string, state: AlertView['state'] = 'firing'): AlertView => ({
  id,
  ruleId: 'r1',
  ruleName: 'slow ping',
  series: 'redis.ping_ms',
  severity: 'warning',
  state,
  value: 9,
  threshold: 5,
  op: 'gt',
  firedAt: 1,
  message: 'ping 9 ms > 5',
});
const store = () => useAlerts.getState();
const initial = store();

beforeEach(() => {
  main.reset();
  useAlerts.setState(initial, true);
});

describe('alerts store', () => {
  it('reads the latest alerts of a profile and counts what fires', async () => {
    main.answer('alerts.list', () => [alert('a1'), alert('a2', 'resolved'), alert('a3')]);
    await store().load('p1');
    expect(main.inputs('alerts.list')).toEqual([{ profileId: 'p1', count: 200 }]);
    expect(store().firing).toEqual({ p1: 2 });
    expect(store().byProfile.p1?.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
  });

  it('merges a pushed alert on top, replacing its older state, with main’s count', async () => {
    main.answer('alerts.list', () => [alert('a1'), alert('a2')]);
    await store().load('p1');
    store().apply('p1', alert('a2', 'resolved'), 1);
    expect(store().byProfile.p1?.map((a) => `${a.id}:${a.state}`)).toEqual(['a2:resolved', 'a1:firing']);
    expect(store().firing.p1).toBe(1);
  });

  it('hears pushed alert events through the live-event routing, for any page', () => {
    const stop = startLiveEvents();
    try {
      main.push({ type: 'alerts', profileId: 'p1', alert: alert('a9'), firing: 1 });
      expect(store().byProfile.p1?.map((a) => a.id)).toEqual(['a9']);
      expect(store().firing.p1).toBe(1);
    } finally {
      stop();
    }
  });

  it('acknowledges with the typed confirmation and reads the alerts again', async () => {
    main.answer('alerts.ack', () => ({ ...alert('a1'), acknowledgedAt: 5 }));
    main.answer('alerts.list', () => [{ ...alert('a1'), acknowledgedAt: 5 }]);
    await store().ack('p1', 'a1', 'slow ping');
    expect(main.inputs('alerts.ack')).toEqual([{ profileId: 'p1', id: 'a1', confirm: 'slow ping' }]);
    expect(store().byProfile.p1?.[0]?.acknowledgedAt).toBe(5);
  });

  it('keeps rules and series per profile, and lets a refused save reach the caller', async () => {
    main.answer('alerts.rules', () => []);
    main.answer('metrics.series', () => [{ series: 'redis.ping_ms' } as never]);
    await store().loadRules('p1');
    await store().loadSeries('p1');
    expect(store().rules).toEqual({ p1: [] });
    expect(store().series.p1).toHaveLength(1);
    main.answer('alerts.setRule', () => {
      throw new SwarmdeckError('VALIDATION', 'threshold: expected a number');
    });
    const rule = {
      name: 'x',
      series: 'redis.ping_ms',
      stat: 'avg',
      windowSec: 60,
      op: 'gt',
      threshold: 1,
      forSec: 0,
      hysteresis: 0,
      severity: 'warning',
      enabled: false,
    } as const;
    await expect(store().saveRule('p1', rule, undefined)).rejects.toThrow('threshold: expected a number');
    expect(main.inputs('alerts.setRule')).toEqual([{ profileId: 'p1', rule }]);
  });

  it('deletes a rule by its id', async () => {
    main.answer('alerts.deleteRule', () => ({ deleted: true }));
    await store().deleteRule('p1', 'r1', 'r1');
    expect(main.inputs('alerts.deleteRule')).toEqual([{ profileId: 'p1', id: 'r1', confirm: 'r1' }]);
  });
});
