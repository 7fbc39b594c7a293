import { describe, expect, it } from 'vitest';
import { ttlLeft } from '../../src/renderer/src/features/locks/ttl';
import { lineDiff } from '../../src/renderer/src/features/state/line-diff';

describe('the State view diff', () => {
  it('keeps common lines and marks only what changed', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
    expect(lineDiff('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });
});

describe('the Locks view countdown', () => {
  it('counts the lease down from when it was read and stops at zero', () => {
    expect(ttlLeft(5000, 1200)).toBe(3800);
    expect(ttlLeft(500, 900)).toBe(0);
    expect(ttlLeft(undefined, 0)).toBe(0);
  });
});
