import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CfnTaskSource } from '../../src/shared/model/cfn';
import type { TaskDetail } from '../../src/shared/model/task';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { PAGE_SIZE, useQueues } = await import('../../src/renderer/src/features/tasks/queues-store');

const task = (id: string, state: TaskDetail['state'] = 'waiting'): TaskDetail => ({ id, queue: 'q', state }) as TaskDetail;
const store = () => useQueues.getState();
const initial = store();

beforeEach(() => {
  main.reset();
  useQueues.setState(initial, true);
  store().forProfile('p1');
  store().select('q');
});

describe('queues store', () => {
  it('reads one page of the selected queue in the chosen state', async () => {
    main.answer('queues.tasks', () => [task('t1'), task('t2')]);
    await store().loadTasks('p1');
    expect(main.inputs('queues.tasks')).toEqual([{ profileId: 'p1', queue: 'q', state: 'waiting', offset: 0, limit: PAGE_SIZE }]);
    expect(store().tasks.map((t) => t.id)).toEqual(['t1', 't2']);
  });

  it('drops a page that answers after the operator chose another queue', async () => {
    let answer: (tasks: TaskDetail[]) => void = () => undefined;
    main.answer('queues.tasks', () => new Promise((resolve) => (answer = resolve)));
    const late = store().loadTasks('p1');
    store().select('other');
    answer([task('t1')]);
    await late;
    expect(store().tasks).toEqual([]);
  });

  it('says a task the list showed was removed by retention when main no longer has it', async () => {
    store().setListState('finished');
    main.answer('queues.tasks', () => [task('t1', 'completed')]);
    await store().loadTasks('p1');
    main.answer('queues.task', () => {
      throw new SwarmdeckError('NOT_FOUND', 'no task t1');
    });
    await store().openTask('p1', 't1');
    expect(store().gone?.text).toMatch(/removed by retention/);
    expect(store().tasks).toEqual([]);
  });

  it('keeps main’s message for an id that was never shown', async () => {
    main.answer('queues.task', () => {
      throw new SwarmdeckError('NOT_FOUND', 'no task typo');
    });
    await expect(store().openTask('p1', 'typo')).rejects.toThrow('no task typo');
    expect(store().gone).toBeUndefined();
  });

  it('forgets the selection of another connection', () => {
    store().forProfile('p2');
    expect(store()).toMatchObject({ profileId: 'p2', selected: undefined, tasks: [] });
  });
});

describe('queues store: claude-flow-novice task routing', () => {
  const routing = (depth: number): CfnTaskSource => ({ queue: { depth, entries: [] }, agents: [], failures: [] });

  it('is unread until the first answer, then holds each profile’s routing and when it was read', async () => {
    main.answer('swarms.cfnTasks', ({ profileId }) => routing(profileId === 'p1' ? 3 : 0));
    expect(store().cfnTasks.p1).toBeUndefined();
    const before = Date.now();
    await store().loadCfnTasks('p1');
    await store().loadCfnTasks('p2');
    expect(main.inputs('swarms.cfnTasks')).toEqual([{ profileId: 'p1' }, { profileId: 'p2' }]);
    expect(store().cfnTasks.p1?.source?.queue.depth).toBe(3);
    expect(store().cfnTasks.p1?.readAt).toBeGreaterThanOrEqual(before);
    expect(store().cfnTasks.p2?.source?.queue.depth).toBe(0);
  });

  it('keeps a failed read in main’s words beside the last good one, until a read succeeds', async () => {
    main.answer('swarms.cfnTasks', () => routing(2));
    await store().loadCfnTasks('p1');
    const { readAt } = store().cfnTasks.p1 ?? {};
    main.answer('swarms.cfnTasks', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    await store().loadCfnTasks('p1');
    expect(store().cfnTasks.p1).toEqual({ source: routing(2), readAt, error: 'the connection is down' });
    main.answer('swarms.cfnTasks', () => routing(1));
    await store().loadCfnTasks('p1');
    expect(store().cfnTasks.p1?.error).toBeUndefined();
    expect(store().cfnTasks.p1?.source?.queue.depth).toBe(1);
  });
});
