/**
 * Writes of a restore and of its undo that happen only where a key still holds what the journal
 * says it held (replace-if-unchanged.lua), one script call per hash slot on the owning master
 * (a cluster refuses a script whose keys span slots), pipelined per node.
 */
import { createHash } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import { SwarmdeckError } from '../../../shared/errors';
import { withScripts } from '../../redis/script-registry';
import { keySlot } from './format';
import { LUA } from './lua/sources.generated';
import type { HeldValue } from './restore-journal';
import type { Router } from './restore-target';

const SCRIPT = 'sdReplaceIfUnchanged';
/** Keys per script call: bounds how long one call holds the server. */
const PER_CALL = 100;

export interface GuardedWrite {
  key: Buffer;
  /** What the key must hold for the write to happen (null: absent). */
  expect: HeldValue | null;
  /** What to write (RESTORE's ttl and ABSTTL), or null to delete the key. */
  put: { payload: Buffer; ttl: number; abs: boolean } | null;
}

export interface GuardedOutcome {
  done: GuardedWrite[];
  /** Writes not made, with what the key holds instead. */
  changed: { write: GuardedWrite; now: HeldValue | null }[];
}

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

function argsOf(group: GuardedWrite[], exact: boolean): (string | number | Buffer)[] {
  const args: (string | number | Buffer)[] = [group.length, ...group.map((w) => w.key), exact ? '1' : '0'];
  for (const w of group) {
    args.push(w.expect ? 'v' : 'a', w.expect ? sha1(w.expect.payload) : '', w.expect?.expireAt ?? -1);
    args.push(w.put ? 'r' : 'd', w.put?.ttl ?? 0, w.put?.abs ? 'ABSTTL' : '', w.put?.payload ?? '');
  }
  return args;
}

/** Calls of at most PER_CALL keys, each of one slot on a cluster. */
function calls(group: GuardedWrite[], cluster: boolean): GuardedWrite[][] {
  const bySlot = new Map<number, GuardedWrite[]>();
  for (const w of group) {
    const slot = cluster ? keySlot(w.key) : 0;
    const list = bySlot.get(slot) ?? [];
    list.push(w);
    bySlot.set(slot, list);
  }
  const out: GuardedWrite[][] = [];
  for (const list of bySlot.values()) for (let i = 0; i < list.length; i += PER_CALL) out.push(list.slice(i, i + PER_CALL));
  return out;
}

type ScriptReply = (1 | [Buffer, number])[];

/** Makes each write whose key holds what it expects; `exact` compares expiries to the millisecond (PEXPIRETIME). */
export async function writeIfUnchanged(router: Router, writes: GuardedWrite[], exact: boolean): Promise<GuardedOutcome> {
  const out: GuardedOutcome = { done: [], changed: [] };
  await Promise.all(
    [...router.group(writes)].map(async ([address, group]) => {
      const node = withScripts(router.node(address), { [SCRIPT]: LUA['replace-if-unchanged'] });
      const p = node.pipeline() as ChainableCommander & Record<string, (...args: unknown[]) => unknown>;
      const batches = calls(group, router.cluster);
      for (const b of batches) p[`${SCRIPT}Buffer`]?.(...argsOf(b, exact));
      const replies = (await p.exec()) ?? [];
      batches.forEach((b, i) => {
        const [err, reply] = replies[i] ?? [new Error('missing reply'), null];
        if (err) throw new SwarmdeckError('REDIS_ERROR', `Writing to ${address} failed: ${err.message}`);
        (reply as ScriptReply).forEach((r, j) => {
          const write = b[j] as GuardedWrite;
          if (r === 1) out.done.push(write);
          else out.changed.push({ write, now: r[0].length === 0 ? null : { payload: r[0], expireAt: Number(r[1]) } });
        });
      });
    }),
  );
  return out;
}
