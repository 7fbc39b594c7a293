import { describe, expect, it } from 'vitest';
import { assertPattern, globMatch, keySlot, prefixPattern, rdbVersionOfRedis, typeOfPayload } from '../../src/main/features/backup/format';
import { samePayloadContent } from '../../src/main/features/backup/compare';
import { acceptedRdbVersion } from '../../src/main/features/backup/topology';
import { SwarmdeckError } from '../../src/shared/errors';

const b = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s));

describe('backup format helpers', () => {
  it.each([
    ['h?llo', 'hello', true],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['a*', 'b', false],
    ['*', '', true],
  ])('glob %s on %s is %s, as Redis stringmatchlen', (pattern, key, want) => {
    expect(globMatch(b(pattern), b(key))).toBe(want);
  });

  it('matches non-UTF-8 bytes one by one', () => {
    expect(globMatch(Buffer.concat([b([0xff, 0x00]), b('*')]), b([0xff, 0x00, 0x80]))).toBe(true);
    expect(globMatch(b([0x3f]), b([0xc3]))).toBe(true);
  });

  it('escapes glob characters of a prefix', () => {
    expect(prefixPattern(b('a*[b]?\\')).toString('latin1')).toBe('a\\*\\[b\\]\\?\\\\*');
    expect(globMatch(prefixPattern(b('a*')), b('a*x'))).toBe(true);
    expect(globMatch(prefixPattern(b('a*')), b('abx'))).toBe(false);
  });

  it('computes cluster slots like Redis (CLUSTER KEYSLOT)', () => {
    expect(keySlot(b('foo'))).toBe(12182);
    expect(keySlot(b('123456789'))).toBe(12739);
    expect(keySlot(b('{user1000}.following'))).toBe(keySlot(b('user1000')));
    expect(keySlot(b('foo{}{bar}'))).toBe(keySlot(b('foo{}{bar}')));
    expect(keySlot(b('{}x'))).toBe(keySlot(b('{}x')));
  });

  it('refuses malformed patterns', () => {
    expect(() => assertPattern('a[bc')).toThrow(/never closed/);
    expect(() => assertPattern('a\\')).toThrow(/backslash/);
    expect(() => assertPattern('')).toThrow(/empty/);
    expect(() => assertPattern('a[\\]]*')).not.toThrow();
  });

  it('maps versions and payload types', () => {
    expect(rdbVersionOfRedis('7.0.15')).toBe(10);
    expect(rdbVersionOfRedis('7.2.4')).toBe(11);
    expect(rdbVersionOfRedis('6.2.14')).toBe(9);
    expect(typeOfPayload(b([16]))).toBe('hash');
    expect(typeOfPayload(b([19]))).toBe('stream');
  });

  it('lets a replica whose version was not read (rejoined, not yet in CLUSTER SLOTS) not decide the RDB version; an unread master refuses', () => {
    const node = (address: string, role: 'master' | 'replica', redisVersion: string) => ({
      address,
      role,
      slots: [],
      redisVersion,
      runId: '',
    });
    const nodes = [node('a:1', 'master', '7.2.4'), node('b:1', 'master', '7.0.15'), node('c:1', 'replica', 'unknown')];
    expect(acceptedRdbVersion({ kind: 'cluster', nodes })).toBe(10);
    const unread = [node('a:1', 'master', 'unknown'), node('c:1', 'replica', '7.2.4')];
    expect(() => acceptedRdbVersion({ kind: 'cluster', nodes: unread })).toThrow(SwarmdeckError);
    expect(() => acceptedRdbVersion({ kind: 'cluster', nodes: unread })).toThrow(/master a:1/);
  });

  it('compares hash-table sets by content, not order', () => {
    // RDB_TYPE_SET, 2 members, "ab" and "cd", then a dummy 10-byte trailer.
    const trailer = Buffer.alloc(10);
    const one = Buffer.concat([b([2, 2, 2]), b('ab'), b([2]), b('cd'), trailer]);
    const two = Buffer.concat([b([2, 2, 2]), b('cd'), b([2]), b('ab'), trailer]);
    const other = Buffer.concat([b([2, 2, 2]), b('cd'), b([2]), b('ax'), trailer]);
    expect(samePayloadContent(one, two)).toBe(true);
    expect(samePayloadContent(one, other)).toBe(false);
  });
});
