import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ViewerMessage } from '../../src/shared/contract/messaging';
import type { JobView } from '../../src/shared/model/job';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useMessages } = await import('../../src/renderer/src/features/messages/messages-store');
const { useJobs } = await import('../../src/renderer/src/app/jobs-store');
const { SHOWN } = await import('../../src/renderer/src/features/messages/viewer-model');

const job = (id: string, state: JobView['state'] = 'running'): JobView => ({
  id,
  kind: 'messages.watch',
  profileId: 'p1',
  title: 'watch',
  state,
  progress: { done: 0, unit: 'messages' },
  startedAt: 1,
});
const message = (seq: number): ViewerMessage => ({ seq, channel: 'agents.events', receivedAt: seq, size: 10, payload: '{}' });
const store = () => useMessages.getState();
const initial = store();

beforeEach(() => {
  main.reset();
  useMessages.setState(initial, true);
  useJobs.setState({ jobs: {} });
  store().forProfile('p1');
});

describe('messages store', () => {
  it('starts a watch on a channel or a pattern and reads from its first message', async () => {
    main.answer('messages.watch', () => job('w1'));
    main.answer('messages.read', () => ({ messages: [message(1), message(2)], dropped: 0, running: true }));
    await store().watch({ pattern: 'agents.*' });
    expect(main.inputs('messages.watch')).toEqual([{ profileId: 'p1', pattern: 'agents.*' }]);
    expect(store()).toMatchObject({ jobId: 'w1', started: { id: 'w1' } });
    await store().read();
    await store().read();
    expect(main.inputs('messages.read')).toEqual([
      { jobId: 'w1', after: 0 },
      { jobId: 'w1', after: 2 },
    ]);
    expect(store().lastSeq).toBe(2);
  });

  it('keeps the newest messages and counts what main skipped', async () => {
    main.answer('messages.watch', () => job('w1'));
    await store().watch({ channel: 'agents.events' });
    let seq = 0;
    main.answer('messages.read', () => ({ messages: Array.from({ length: 300 }, () => message(++seq)), dropped: 4, running: true }));
    await store().read();
    await store().read();
    expect(store().messages).toHaveLength(SHOWN);
    expect(store().messages.at(-1)?.seq).toBe(600);
    expect(store().dropped).toBe(8);
  });

  it('cancels the watch that runs before starting another, and starts the new one from nothing', async () => {
    main.answer('messages.watch', () => job('w1'));
    main.answer('messages.read', () => ({ messages: [message(1)], dropped: 0, running: true }));
    main.answer('jobs.cancel', () => job('w1', 'cancelled'));
    await store().watch({ pattern: '*' });
    await store().read();
    store().select(1);
    main.answer('messages.watch', () => job('w2'));
    await store().watch({ channel: 'x' });
    expect(main.inputs('jobs.cancel')).toEqual([{ jobId: 'w1' }]);
    expect(store()).toMatchObject({ jobId: 'w2', messages: [], lastSeq: 0, selected: undefined });
  });

  it('does not cancel a watch that already ended (as its pushed events say)', async () => {
    main.answer('messages.watch', () => job('w1'));
    await store().watch({ pattern: '*' });
    useJobs.getState().apply(job('w1', 'failed'));
    main.answer('messages.watch', () => job('w2'));
    await store().watch({ pattern: '*' });
    expect(main.inputs('jobs.cancel')).toEqual([]);
  });

  it('drops a read that answers after another watch started', async () => {
    main.answer('messages.watch', () => job('w1'));
    await store().watch({ pattern: '*' });
    let answer: (r: { messages: ViewerMessage[]; dropped: number; running: boolean }) => void = () => undefined;
    main.answer('messages.read', () => new Promise((resolve) => (answer = resolve)));
    const late = store().read();
    main.answer('messages.watch', () => job('w2'));
    await store().watch({ pattern: '*' });
    answer({ messages: [message(1)], dropped: 3, running: true });
    await late;
    expect(store()).toMatchObject({ jobId: 'w2', messages: [], dropped: 0 });
  });

  it('reports a refused watch or read in main’s words', async () => {
    main.answer('messages.watch', () => {
      throw new SwarmdeckError('UNAVAILABLE', 'at most 4 watches per window');
    });
    await store().watch({ pattern: '*' });
    expect(store()).toMatchObject({ jobId: undefined, notice: { kind: 'error', text: 'at most 4 watches per window' } });
  });

  it('publishes with the typed confirmation and answers how many received it', async () => {
    main.answer('messages.publish', () => ({ id: 'm1', receivers: 3 }));
    const draft = { channel: 'agents.events', type: 'agent.hello', payload: '{}' };
    await expect(store().publish(draft, 'agents.events')).resolves.toEqual({ receivers: 3 });
    expect(main.inputs('messages.publish')).toEqual([{ profileId: 'p1', ...draft, confirm: 'agents.events' }]);
  });

  it('forgets another connection’s watch', async () => {
    main.answer('messages.watch', () => job('w1'));
    await store().watch({ pattern: '*' });
    store().togglePaused();
    store().forProfile('p2');
    expect(store()).toMatchObject({ profileId: 'p2', jobId: undefined, paused: false, messages: [] });
  });
});
