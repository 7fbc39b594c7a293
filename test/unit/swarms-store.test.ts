import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SwarmWatch } from '../../src/shared/contract/swarms';
import type { CfnBlockingWait, CfnStates } from '../../src/shared/model/cfn';
import type { SwarmDetail, SwarmList } from '../../src/shared/model/swarm';
import type { StreamEntry } from '../../src/shared/model/task';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useSwarms, PULSE_MS } = await import('../../src/renderer/src/features/swarms/swarms-store');

const detail = (id: string, status = 'running'): SwarmDetail => ({ id, status, source: 'swarmdeck' }) as unknown as SwarmDetail;
const list: SwarmList = { swarms: [], claudeFlowNovice: false };
const entry = (id: string): StreamEntry => ({ id, at: 1, fields: { type: 'x' } });
const watch = (events: StreamEntry[], eventsComplete = false): SwarmWatch => ({
  watchId: 'w1',
  swarmId: 's1',
  source: 'swarmdeck',
  detail: detail('s1'),
  events,
  eventsComplete,
});
const s1 = { id: 's1', source: 'swarmdeck' } as const;
const initial = useSwarms.getState();

beforeEach(() => {
  main.reset();
  useSwarms.setState(initial, true);
  useSwarms.getState().forProfile('p1');
});
afterEach(() => vi.useRealTimers());

describe('swarms store', () => {
  it('holds the list main answers and forgets it for another connection', async () => {
    main.answer('swarms.list', () => list);
    await useSwarms.getState().loadList('p1');
    expect(useSwarms.getState().list).toEqual(list);
    useSwarms.getState().open(s1);
    useSwarms.getState().forProfile('p2');
    expect(useSwarms.getState()).toMatchObject({ profileId: 'p2', list: undefined, selected: undefined });
  });

  it('holds the open swarm’s detail, and drops an answer about a swarm no longer open', async () => {
    let answer: (d: SwarmDetail) => void = () => undefined;
    main.answer('swarms.show', ({ swarmId }) => new Promise<SwarmDetail>((resolve) => (answer = () => resolve(detail(swarmId)))));
    useSwarms.getState().open(s1);
    const late = useSwarms.getState().loadDetail('p1');
    useSwarms.getState().open({ id: 's2', source: 'swarmdeck' });
    answer(detail('s1'));
    await late;
    expect(useSwarms.getState().detail).toBeUndefined();
    const now = useSwarms.getState().loadDetail('p1');
    answer(detail('s2'));
    await now;
    expect(useSwarms.getState().detail?.id).toBe('s2');
  });

  it('lets a failed read reach the caller and keeps the detail it had', async () => {
    main.answer('swarms.show', () => detail('s1'));
    useSwarms.getState().open(s1);
    await useSwarms.getState().loadDetail('p1');
    main.answer('swarms.show', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    await expect(useSwarms.getState().loadDetail('p1')).rejects.toThrow('the connection is down');
    expect(useSwarms.getState().detail?.id).toBe('s1');
  });
});

describe('swarms store: the open swarm kept live', () => {
  it('merges the watch’s backfill with pushes that overtook it, each event once, and stops the watch', async () => {
    main.answer('swarms.watch', () => watch([entry('2-0'), entry('1-0')]));
    main.answer('swarms.unwatch', () => ({ stopped: true }));
    useSwarms.getState().open(s1);
    useSwarms
      .getState()
      .applyPushed({ type: 'swarm.events', profileId: 'p1', swarmId: 's1', source: 'swarmdeck', entries: [entry('2-0'), entry('3-0')] });
    const stop = await useSwarms.getState().watch('p1');
    expect(useSwarms.getState().timeline.map((e) => e.id)).toEqual(['3-0', '2-0', '1-0']);
    expect(useSwarms.getState().detail?.id).toBe('s1');
    stop();
    expect(main.inputs('swarms.unwatch')).toEqual([{ profileId: 'p1', watchId: 'w1' }]);
  });

  it('stops a watch whose answer comes after the swarm was closed', async () => {
    let answer: () => void = () => undefined;
    main.answer('swarms.watch', () => new Promise<SwarmWatch>((resolve) => (answer = () => resolve(watch([entry('1-0')])))));
    main.answer('swarms.unwatch', () => ({ stopped: true }));
    useSwarms.getState().open(s1);
    const watching = useSwarms.getState().watch('p1');
    useSwarms.getState().open(undefined);
    answer();
    await watching;
    expect(main.inputs('swarms.unwatch')).toEqual([{ profileId: 'p1', watchId: 'w1' }]);
    expect(useSwarms.getState().timeline).toEqual([]);
  });

  it('ignores pushes about another swarm or connection, and takes a pushed detail of the open one', () => {
    useSwarms.getState().open(s1);
    useSwarms
      .getState()
      .applyPushed({ type: 'swarm.detail', profileId: 'p2', swarmId: 's1', source: 'swarmdeck', detail: detail('s1', 'x') });
    useSwarms.getState().applyPushed({ type: 'swarm.detail', profileId: 'p1', swarmId: 's9', source: 'swarmdeck', detail: detail('s9') });
    expect(useSwarms.getState().detail).toBeUndefined();
    useSwarms
      .getState()
      .applyPushed({ type: 'swarm.detail', profileId: 'p1', swarmId: 's1', source: 'swarmdeck', detail: detail('s1', 'paused') });
    expect(useSwarms.getState().detail?.status).toBe('paused');
  });

  it('lights an edge for a pushed message and darkens it when its pulse is over', () => {
    vi.useFakeTimers();
    useSwarms.getState().open(s1);
    const message = { id: 'm1', at: 0, from: 'a', to: 'b', kind: 'ask' };
    useSwarms.getState().applyPushed({ type: 'swarm.messages', profileId: 'p1', swarmId: 's1', source: 'swarmdeck', messages: [message] });
    expect(useSwarms.getState().pulses.map((m) => m.id)).toEqual(['m1']);
    vi.advanceTimersByTime(PULSE_MS);
    expect(useSwarms.getState().pulses).toEqual([]);
  });

  it('pages older events until a short page says there are no more', async () => {
    main.answer('swarms.watch', () => watch([entry('5-0')]));
    main.answer('swarms.events', () => [entry('4-0'), entry('3-0')]);
    useSwarms.getState().open(s1);
    await useSwarms.getState().watch('p1');
    await useSwarms.getState().loadOlder('p1');
    expect(main.inputs('swarms.events')).toEqual([{ profileId: 'p1', swarmId: 's1', source: 'swarmdeck', before: '5-0', count: 40 }]);
    expect(useSwarms.getState()).toMatchObject({ timelineComplete: true });
    expect(useSwarms.getState().timeline.map((e) => e.id)).toEqual(['5-0', '4-0', '3-0']);
    await useSwarms.getState().loadOlder('p1');
    expect(main.inputs('swarms.events')).toHaveLength(1);
  });
});

describe('swarms store: actions', () => {
  it('acts and proposes on the open swarm, then reads its detail again', async () => {
    main.answer('swarms.action', () => ({ done: 'paused' }));
    main.answer('swarms.propose', () => ({ proposal: 'pr1' }));
    main.answer('swarms.show', () => detail('s1', 'paused'));
    useSwarms.getState().open(s1);
    await expect(useSwarms.getState().act('p1', 'pause', { confirm: 's1' })).resolves.toBe('paused');
    expect(main.inputs('swarms.action')).toEqual([{ profileId: 'p1', swarmId: 's1', source: 'swarmdeck', action: 'pause', confirm: 's1' }]);
    const proposal = { title: 't' } as Parameters<typeof initial.propose>[1];
    await expect(useSwarms.getState().propose('p1', proposal)).resolves.toBe('pr1');
    expect(main.inputs('swarms.propose')[0]).not.toHaveProperty('confirm');
    expect(main.inputs('swarms.show')).toHaveLength(2);
    expect(useSwarms.getState().detail?.status).toBe('paused');
  });

  it('lets a refused action reach the caller without reading the detail', async () => {
    main.answer('swarms.action', () => {
      throw new SwarmdeckError('CONFLICT', 'the swarm already stopped');
    });
    useSwarms.getState().open(s1);
    await expect(useSwarms.getState().act('p1', 'pause')).rejects.toThrow('already stopped');
    expect(main.inputs('swarms.show')).toEqual([]);
  });
});

describe('swarms store: claude-flow-novice coordination and the audit', () => {
  const wait = (swarmId: string, coordinator: string): CfnBlockingWait => ({
    swarmId,
    coordinator,
    status: 'waiting',
    since: 1,
    peers: [],
    verdict: 'waiting',
    message: 'waits',
  });
  const states: CfnStates = { saved: [{ kind: 'snapshot', id: 'snap1', at: 1, label: 'before', bytes: 10 }] };

  it('holds the waits of this swarm only and its saved states, and clears a failure on the next good read', async () => {
    main.answer('swarms.cfnBlocking', () => [wait('s1', 'c1'), wait('s2', 'c2')]);
    main.answer('swarms.cfnStates', () => states);
    await useSwarms.getState().loadCoordination('p1', 's1');
    expect(main.inputs('swarms.cfnStates')).toEqual([{ profileId: 'p1', swarmId: 's1' }]);
    expect(useSwarms.getState().coordination).toEqual({ swarmId: 's1', waits: [wait('s1', 'c1')], states, error: undefined });
    main.answer('swarms.cfnStates', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    await useSwarms.getState().loadCoordination('p1', 's1');
    expect(useSwarms.getState().coordination).toMatchObject({ waits: [wait('s1', 'c1')], error: 'the connection is down' });
    main.answer('swarms.cfnStates', () => states);
    await useSwarms.getState().loadCoordination('p1', 's1');
    expect(useSwarms.getState().coordination?.error).toBeUndefined();
  });

  it('starts over for another swarm, and drops an answer about another connection', async () => {
    main.answer('swarms.cfnBlocking', () => [wait('s1', 'c1'), wait('s2', 'c2')]);
    main.answer('swarms.cfnStates', () => states);
    await useSwarms.getState().loadCoordination('p1', 's1');
    await useSwarms.getState().loadCoordination('p1', 's2');
    expect(useSwarms.getState().coordination).toMatchObject({ swarmId: 's2', waits: [wait('s2', 'c2')] });
    let answer: () => void = () => undefined;
    main.answer('swarms.cfnStates', () => new Promise<CfnStates>((resolve) => (answer = () => resolve(states))));
    const late = useSwarms.getState().loadCoordination('p1', 's1');
    useSwarms.getState().forProfile('p2');
    answer();
    await late;
    expect(useSwarms.getState().coordination).toBeUndefined();
  });

  it('opens a saved state, says when it cannot be loaded, and keeps a failure to open it', async () => {
    main.answer('swarms.cfnSaved', ({ id }) => (id === 'snap1' ? { state: '{"password":"[redacted]"}' } : { state: null }));
    await useSwarms.getState().viewSaved('p1', 's1', 'snapshot', 'snap1');
    expect(main.inputs('swarms.cfnSaved')).toEqual([{ profileId: 'p1', swarmId: 's1', kind: 'snapshot', id: 'snap1' }]);
    expect(useSwarms.getState().coordination?.shown).toEqual({ title: 'snapshot snap1', text: '{"password":"[redacted]"}' });
    await useSwarms.getState().viewSaved('p1', 's1', 'checkpoint', 'cp9');
    expect(useSwarms.getState().coordination?.shown).toEqual({ title: 'checkpoint cp9', text: 'expired, or too big to load' });
    main.answer('swarms.cfnSaved', () => {
      throw new SwarmdeckError('NOT_FOUND', 'no such checkpoint');
    });
    await useSwarms.getState().viewSaved('p1', 's1', 'checkpoint', 'cp9');
    expect(useSwarms.getState().coordination).toMatchObject({ shown: { title: 'checkpoint cp9' }, error: 'no such checkpoint' });
  });

  it('asks main for the newest swarm actions on this swarm', async () => {
    main.answer('audit.recent', () => [{ id: '1-0', at: 1, fields: { action: 'swarm.pause' } }]);
    await expect(useSwarms.getState().recentActions('p1', 's1', 10)).resolves.toHaveLength(1);
    expect(main.inputs('audit.recent')).toEqual([{ profileId: 'p1', count: 10, target: 's1', action: 'swarm.' }]);
  });
});
