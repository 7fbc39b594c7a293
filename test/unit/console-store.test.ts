import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleCatalogue, ConsoleExecResult, ConsoleHistoryEntry } from '../../src/shared/model/console';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useConsole } = await import('../../src/renderer/src/features/console/console-store');

const catalogue: ConsoleCatalogue = { source: 'server', version: '7.2.0', commands: [] };
const result = (text: string): ConsoleExecResult => ({ results: [{ text }] }) as unknown as ConsoleExecResult;
const entry = (line: string): ConsoleHistoryEntry => ({ at: 1, line, ok: true });
const initial = useConsole.getState();
const history: ConsoleHistoryEntry[] = [];

beforeEach(() => {
  main.reset();
  useConsole.setState(initial, true);
  history.length = 0;
  main.answer('console.commands', () => catalogue);
  main.answer('console.history', () => [...history]);
});

/** The connection in view, with its catalogue and history read. */
async function inView(profileId = 'p1'): Promise<void> {
  useConsole.getState().forProfile(profileId);
  await vi.waitFor(() => expect(useConsole.getState().catalogue).toBeDefined());
}

describe('console store', () => {
  it('reads the catalogue and history of the connection it is given, once', async () => {
    history.push(entry('PING'));
    await inView();
    useConsole.getState().forProfile('p1');
    expect(main.inputs('console.commands')).toEqual([{ profileId: 'p1' }]);
    expect(main.inputs('console.history')).toEqual([{ profileId: 'p1', limit: 200 }]);
    expect(useConsole.getState().history.map((h) => h.line)).toEqual(['PING']);
  });

  it('says why the catalogue could not be read', async () => {
    main.answer('console.commands', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    useConsole.getState().forProfile('p1');
    await vi.waitFor(() => expect(useConsole.getState().catalogueError).toBe('the connection is down'));
  });

  it('forgets another server’s runs, node and history', async () => {
    main.answer('console.exec', () => result('PONG'));
    await inView();
    useConsole.getState().setNode('10.0.0.1:6379');
    await useConsole.getState().exec('PING');
    await inView('p2');
    expect(useConsole.getState()).toMatchObject({ profileId: 'p2', runs: [], history: [], node: undefined });
  });
});

describe('console store: runs', () => {
  it('records a run pending, then its answer, on the node chosen, and reads the history again', async () => {
    let answer: (r: ConsoleExecResult) => void = () => undefined;
    main.answer('console.exec', () => new Promise<ConsoleExecResult>((resolve) => (answer = resolve)));
    await inView();
    useConsole.getState().setNode('n1');
    const running = useConsole.getState().exec('GET a');
    expect(useConsole.getState().runs[0]).toMatchObject({ text: 'GET a', node: 'n1', pending: true });
    history.push(entry('GET a'));
    answer(result('1'));
    await running;
    expect(main.inputs('console.exec')).toEqual([{ profileId: 'p1', line: 'GET a', node: 'n1' }]);
    expect(useConsole.getState().runs[0]).toMatchObject({ pending: false, result: result('1') });
    await vi.waitFor(() => expect(useConsole.getState().history.map((h) => h.line)).toEqual(['GET a']));
  });

  it('records a failed run in main’s words and lets the page ask for a confirmation', async () => {
    main.answer('console.exec', () => {
      throw new SwarmdeckError('CONFIRMATION_REQUIRED', 'type FLUSHALL to confirm');
    });
    await inView();
    await expect(useConsole.getState().exec('FLUSHALL')).rejects.toThrow('type FLUSHALL to confirm');
    expect(useConsole.getState().runs[0]).toMatchObject({ pending: false, error: 'type FLUSHALL to confirm' });
  });

  it('keeps the last twenty runs, newest first', async () => {
    main.answer('console.exec', ({ line }) => result(line));
    await inView();
    for (let i = 0; i < 22; i++) await useConsole.getState().exec(`ECHO ${i}`);
    const runs = useConsole.getState().runs;
    expect(runs).toHaveLength(20);
    expect([runs[0]?.text, runs.at(-1)?.text]).toEqual(['ECHO 21', 'ECHO 2']);
  });

  it('loads all of a run with the confirmation it was typed with, onto the same run', async () => {
    main.answer('console.exec', (input) => result(input.full ? 'all' : 'some'));
    await inView();
    await useConsole.getState().exec('KEYS *', 'KEYS');
    const id = useConsole.getState().runs[0]?.id ?? 0;
    await useConsole.getState().loadAll(id);
    expect(main.inputs('console.exec')[1]).toEqual({ profileId: 'p1', line: 'KEYS *', full: true, confirm: 'KEYS' });
    expect(useConsole.getState().runs).toHaveLength(1);
    expect(useConsole.getState().runs[0]?.result).toEqual(result('all'));
  });

  it('scans keys for a run and records a failed scan on it', async () => {
    main.answer('console.exec', () => result('x'));
    main.answer('console.keys', () => ({ keys: ['a', 'b'], scanned: 2, complete: true }));
    await inView();
    await useConsole.getState().exec('SCAN 0');
    const id = useConsole.getState().runs[0]?.id ?? 0;
    await useConsole.getState().scanKeys(id, 'a*');
    expect(main.inputs('console.keys')).toEqual([{ profileId: 'p1', pattern: 'a*', limit: 10_000 }]);
    expect(useConsole.getState().runs[0]?.keys?.keys).toEqual(['a', 'b']);
    main.answer('console.keys', () => {
      throw new SwarmdeckError('DISCONNECTED', 'down');
    });
    await useConsole.getState().scanKeys(id, 'a*');
    expect(useConsole.getState().runs[0]).toMatchObject({ pending: false, error: 'down' });
  });

  it('puts text from elsewhere into the editor once, on the console tab', () => {
    useConsole.getState().setTab('profiler');
    useConsole.getState().fill('INFO');
    useConsole.getState().fill('INFO');
    expect(useConsole.getState()).toMatchObject({ tab: 'console', prefill: { text: 'INFO', version: 2 } });
    useConsole.getState().filled('INFO');
    expect(useConsole.getState()).toMatchObject({ draft: 'INFO', prefill: { text: '', version: 0 } });
  });
});
