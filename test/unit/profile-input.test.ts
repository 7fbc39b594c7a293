import { describe, expect, it } from 'vitest';
import { adHocProfile } from '../../src/main/features/profiles/ad-hoc-profile';
import { describeRedisError } from '../../src/main/redis/describe-error';
import { emptyForm, toProfileInput } from '../../src/renderer/src/features/connections/profile-form-model';

describe('connection flags', () => {
  it('reads redis:// and rediss:// URLs', () => {
    const p = adHocProfile({ url: 'rediss://ops@cache.internal:6380/3' });
    expect(p.topology).toEqual({ kind: 'standalone', host: 'cache.internal', port: 6380, db: 3 });
    expect(p.username).toBe('ops');
    expect(p.tls).toEqual({ enabled: true, verify: true });
  });

  it('reads cluster seeds and makes --insecure explicit', () => {
    const p = adHocProfile({ cluster: '10.0.0.1:7000,10.0.0.2:7000', insecure: true });
    expect(p.topology).toEqual({
      kind: 'cluster',
      seeds: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7000 },
      ],
    });
    expect(p.tls.verify).toBe(false);
  });

  it('refuses passwords in URLs, both or neither target, and bad seeds', () => {
    expect(() => adHocProfile({ url: 'redis://u:pw@h:1' })).toThrow(/--password-env/);
    expect(() => adHocProfile({})).toThrow(/exactly one/);
    expect(() => adHocProfile({ url: 'redis://h:1', cluster: 'h:2' })).toThrow(/exactly one/);
    expect(() => adHocProfile({ cluster: 'nohost' })).toThrow(/host:port/);
    expect(() => adHocProfile({ url: 'redis://h:99999' })).toThrow();
  });
});

describe('the profile form', () => {
  it('reports every bad field with its path', () => {
    const result = toProfileInput({ ...emptyForm(), name: '', port: 'abc', keyPrefix: 'has space', connectTimeoutMs: '5' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path).sort()).toEqual(['connectTimeoutMs', 'keyPrefix', 'name', 'topology.port']);
  });

  it('parses cluster seeds and a NAT map', () => {
    const result = toProfileInput({
      ...emptyForm(),
      name: 'c',
      kind: 'cluster',
      seeds: '10.0.0.1:7000\n10.0.0.2:7000',
      natMap: '172.18.0.2:6379=127.0.0.1:7001',
    });
    expect(result).toMatchObject({
      ok: true,
      input: { topology: { kind: 'cluster', natMap: { '172.18.0.2:6379': { host: '127.0.0.1', port: 7001 } } } },
    });
    const bad = toProfileInput({ ...emptyForm(), name: 'c', kind: 'cluster', seeds: 'nope' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toContain('topology.seeds');
  });
});

describe('error sentences', () => {
  it('turns socket and Redis errors into actionable text', () => {
    expect(describeRedisError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'h:1')).toEqual({
      code: 'TCP_FAILED',
      message: 'Nothing is listening at h:1 (connection refused)',
    });
    expect(describeRedisError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 'nowhere:1').code).toBe('DNS_FAILED');
    expect(describeRedisError(new Error('WRONGPASS invalid username-password pair'), 'h:1').code).toBe('AUTH_FAILED');
    expect(describeRedisError(Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), 'h:1').code).toBe('TLS_FAILED');
  });
});
