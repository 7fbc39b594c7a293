import { afterAll, describe, expect, it } from 'vitest';
import { isOpName, OP_NAMES, type Envelope } from '../../src/shared/contract';
import { isErrorPayload } from '../../src/shared/errors';
import { inputSizeError } from '../../src/shared/input-size';
import { harness } from '../support/bed';
import { prng, type Rng } from '../support/prng';

/**
 * The dispatch that the web host and the Electron main process share, fed thousands of
 * random operation names and inputs of every shape Electron's structured clone carries
 * (which JSON cannot: NaN, Infinity, BigInt, Map, Set, Date, typed arrays, cycles).
 * Replay a failure with SWARMDECK_FUZZ_SEED=<the printed seed>.
 */
const SEED = Number(process.env.SWARMDECK_FUZZ_SEED ?? 20261127);
const CALLS = Number(process.env.SWARMDECK_FUZZ_INPUTS ?? 3000);

const int = (r: Rng, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rng, items: readonly T[]): T => items[int(r, items.length)] as T;

/** Field names of the contract and of Object.prototype, so inputs get past the first check. */
const KEYS = [
  'profileId',
  'profile',
  'password',
  'storedPasswordOf',
  'id',
  'ids',
  'name',
  'json',
  'queue',
  'state',
  'offset',
  'limit',
  'count',
  'task',
  'data',
  'priority',
  'action',
  'confirm',
  'swarmId',
  'source',
  'before',
  'after',
  'agentId',
  'proposal',
  'topology',
  'kind',
  'host',
  'port',
  'db',
  'seeds',
  'natMap',
  'tls',
  'enabled',
  'caFile',
  'keyPrefix',
  'title',
  'ttlMs',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'then',
];

function leaf(r: Rng): unknown {
  return pick(r, [
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -0,
    () => Number.MAX_VALUE,
    () => 2 ** 53 + 1,
    () => BigInt(int(r, 1e9)) ** 5n,
    () => undefined,
    () => null,
    () => true,
    () => '',
    () => 'standalone',
    () => 'a'.repeat(int(r, 200)),
    () => '\ud800\udfff\u0000\u202e',
    () => '__proto__',
    () => new Date(pick(r, [0, NaN, 8.64e15])),
    () => /(a+)+$/g,
    () => new Uint8Array(int(r, 64)),
    () => new ArrayBuffer(int(r, 64)),
    () => new Float64Array([NaN, -0]),
    () => new Error('carried by structured clone'),
    () => int(r, 70000) - 100,
    () => r(),
  ])();
}

function value(r: Rng, depth: number): unknown {
  if (depth > 5 || r() < 0.35) return leaf(r);
  const shape = int(r, 10);
  if (shape < 5) {
    const object: Record<string, unknown> = {};
    for (let i = int(r, 6); i > 0; i -= 1) {
      // defineProperty: a plain assignment to "__proto__" would set the prototype instead.
      Object.defineProperty(object, pick(r, KEYS), { value: value(r, depth + 1), enumerable: true, configurable: true, writable: true });
    }
    return object;
  }
  if (shape < 7) return Array.from({ length: int(r, 6) }, () => value(r, depth + 1));
  if (shape === 7) {
    const sparse: unknown[] = [];
    sparse[int(r, 100_000)] = value(r, depth + 1);
    return sparse;
  }
  if (shape === 8) return new Map([[pick(r, KEYS), value(r, depth + 1)]]);
  return new Set([value(r, depth + 1)]);
}

/** Shapes that only a hostile or broken caller sends: huge, deep, cyclic. */
function extreme(r: Rng): unknown {
  return pick(r, [
    () => 'x'.repeat(1_000_000 + int(r, 4_000_000)),
    () => ({ json: 'y'.repeat(2_000_001) }),
    () => ({ profile: { name: 'z'.repeat(5_000_000) } }),
    () => {
      let nest: unknown = {};
      for (let i = 5000 + int(r, 5000); i > 0; i -= 1) nest = { profile: nest };
      return nest;
    },
    () => {
      let nest: unknown = [];
      for (let i = 5000 + int(r, 5000); i > 0; i -= 1) nest = [nest];
      return { ids: nest };
    },
    () => {
      const cyclic: Record<string, unknown> = { profileId: 'a' };
      cyclic.profile = cyclic;
      cyclic.task = { data: cyclic };
      return cyclic;
    },
    () => {
      const a: unknown[] = [];
      const b = { ids: a, topology: a };
      a.push(b, a);
      return b;
    },
    () => Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])),
    () => ({ profileId: 'p', queue: 'q', task: { data: Array.from({ length: 100_000 }, () => 0) } }),
  ])();
}

function randomOp(r: Rng): unknown {
  if (r() < 0.7) return pick(r, OP_NAMES);
  return pick(r, [
    () => '__proto__',
    () => 'constructor',
    () => 'toString',
    () => 'hasOwnProperty',
    () => '',
    () => `${pick(r, OP_NAMES)} `,
    () => pick(r, OP_NAMES).toUpperCase(),
    () => 'x'.repeat(100_000),
    () => 42,
    () => null,
    () => undefined,
    () => ({ toString: 'not a function' }),
    () => [pick(r, OP_NAMES)],
    () => NaN,
  ])();
}

describe('dispatch under fuzz', () => {
  const h = harness();
  afterAll(() => h.services.dispose());

  // Thousands of calls on a shared machine: a generous bound, not a speed claim.
  it('answers every random call with an envelope that crosses IPC, and never throws', { timeout: 180_000 }, async () => {
    const r = prng(SEED);
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype);
    const problems: string[] = [];
    const codes = new Map<string, number>();
    let sent = 0;
    let undeliverable = 0;
    for (let i = 0; i < CALLS; i += 1) {
      const op = randomOp(r);
      const raw = r() < 0.03 ? extreme(r) : value(r, 0);
      let input: unknown;
      try {
        // What IPC would hand main; what it cannot clone never reaches main at all.
        input = structuredClone(raw);
      } catch {
        undeliverable += 1;
        continue;
      }
      sent += 1;
      const label = `call ${i} (${typeof op === 'string' ? op.slice(0, 40) : typeof op})`;
      try {
        // The IPC adapter measures the input before dispatch: that must not throw either.
        if (isOpName(op)) inputSizeError(op, input);
        const envelope: Envelope = await h.dispatch(op, input);
        if (envelope.ok !== true && !(envelope.ok === false && isErrorPayload(envelope.error))) problems.push(`${label}: not an envelope`);
        structuredClone(envelope);
        const code = envelope.ok ? 'ok' : envelope.error.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === 'INTERNAL' && !envelope.ok) problems.push(`${label}: INTERNAL ${envelope.error.message}`);
      } catch (error) {
        problems.push(`${label}: threw ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    console.log(
      `dispatch fuzz: ${sent} calls (${undeliverable} inputs structured clone refused), seed ${SEED}, codes`,
      Object.fromEntries(codes),
    );
    expect(problems).toEqual([]);
    // Nothing leaked onto the prototype every object shares.
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeBefore);
    expect(sent).toBeGreaterThan(CALLS / 2);
  });
});
