import { afterAll, describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../src/shared/contract';
import { defaultProfileInput } from '../../src/shared/model/profile';
import { harness } from '../support/bed';
import { samples } from '../support/contract-samples';

const h = harness();
afterAll(() => h.services.dispose());

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every way of breaking one leaf of a valid input: its path and the broken input. */
function* corruptions(value: Json, path: string[] = []): Generator<{ path: string; kind: string; value: Json }> {
  const wrongType = (v: Json): Json =>
    typeof v === 'string' ? 12345 : typeof v === 'number' ? '12' : typeof v === 'boolean' ? 'yes' : Array.isArray(v) ? 'not-a-list' : 7;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      for (const inner of corruptions(child, [...path, key])) {
        const copy = structuredClone(value) as Record<string, Json>;
        copy[key] = inner.value;
        yield { ...inner, value: copy };
      }
    }
    return;
  }
  yield { path: path.join('.'), kind: 'wrong type', value: wrongType(value) };
  if (typeof value === 'string') yield { path: path.join('.'), kind: 'oversize', value: 'x'.repeat(3_000_000) };
}

describe('every contract operation rejects malformed input with a typed error', () => {
  it('covers every operation', () => {
    expect(Object.keys(samples).sort()).toEqual([...OP_NAMES].sort());
  });

  for (const op of OP_NAMES) {
    it(`${op}`, async () => {
      const before = await h.services.profiles.list();
      const sample = samples[op] as unknown as Json;
      const bad: { label: string; input: unknown }[] = [
        { label: 'not an object', input: 42 },
        { label: 'null', input: null },
        { label: 'missing input', input: undefined },
        { label: 'unknown field', input: { ...(sample as object), surprise: true } },
      ];
      for (const c of corruptions(sample)) bad.push({ label: `${c.kind} at ${c.path}`, input: c.value });
      for (const { label, input } of bad) {
        const envelope = await h.dispatch(op, input);
        // Optional fields accept absence, so only report when a broken input got through.
        expect(envelope.ok, `${op}: ${label} was accepted`).toBe(false);
        if (!envelope.ok) {
          expect(envelope.error.code, `${op}: ${label}`).toBe('VALIDATION');
          expect(envelope.error.message.length).toBeLessThan(400);
          expect(envelope.error.details?.fields?.length).toBeGreaterThan(0);
        }
      }
      expect(await h.services.profiles.list()).toEqual(before);
    });
  }

  it('names an unknown operation', async () => {
    const envelope = await h.dispatch('profiles.drop', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
  });

  it('reports field paths a form can show', async () => {
    const envelope = await h.dispatch('profiles.save', {
      profile: { ...defaultProfileInput(), name: '', topology: { kind: 'standalone', host: 'h', port: 70000, db: 0 } },
    });
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) {
      const paths = envelope.error.details?.fields?.map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['profile.name', 'profile.topology.port']));
    }
    expect(await h.services.profiles.list()).toEqual([]);
  });
});
