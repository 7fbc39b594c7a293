import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../src/shared/model/health';
import { chooseActive } from '../../src/renderer/src/features/connections/active-choice';

const at = '2026-11-27T00:00:00.000Z';
const s = (profileId: string, state: ConnectionStatus['state']): ConnectionStatus => ({ profileId, state, since: at });
const statuses = (...list: ConnectionStatus[]): Record<string, ConnectionStatus> => Object.fromEntries(list.map((x) => [x.profileId, x]));

describe('the connection in view', () => {
  it('picks the one live connection when nothing is chosen (after a reload, or the sandbox at start)', () => {
    expect(chooseActive(undefined, undefined, statuses(s('a', 'disconnected'), s('sandbox', 'connected')), ['a', 'sandbox'])).toBe(
      'sandbox',
    );
  });
  it('prefers the remembered profile when it is up', () => {
    expect(chooseActive(undefined, 'b', statuses(s('a', 'connected'), s('b', 'connected')), ['a', 'b'])).toBe('b');
  });
  it('falls back to a live one when the remembered profile is down', () => {
    expect(chooseActive(undefined, 'b', statuses(s('a', 'connected'), s('b', 'disconnected')), ['a', 'b'])).toBe('a');
  });
  it("keeps the operator's choice while it is live, reconnecting or failed", () => {
    const st = statuses(s('a', 'connected'), s('b', 'reconnecting'), s('c', 'failed'));
    expect(chooseActive('b', 'a', st, ['a', 'b', 'c'])).toBe('b');
    expect(chooseActive('c', 'a', st, ['a', 'b', 'c'])).toBe('c');
  });
  it('moves off a connection the operator disconnected when another is up', () => {
    expect(chooseActive('a', 'a', statuses(s('a', 'disconnected'), s('b', 'connected')), ['a', 'b'])).toBe('b');
  });
  it('leaves the choice alone when nothing is live', () => {
    expect(chooseActive('a', undefined, statuses(s('a', 'disconnected')), ['a'])).toBe('a');
    expect(chooseActive(undefined, undefined, {}, [])).toBeUndefined();
  });
});
