/**
 * A restore's verification: every key it wrote, read back and compared with the backup. Keys
 * that Swarmdeck itself rewrites on the target every few seconds are left out and counted, since
 * a difference there says only that a host recorded a sample since, not that the restore failed.
 */
import { metricsPattern } from '../../redis/keyspace';
import { samePayloadContent } from './compare';
import { globMatch } from './format';
import type { OpenBackup } from './reader';
import { ident, items, type RestorePlanOptions } from './restore-plan';
import { Router, readTarget, type TargetState } from './restore-target';

export interface RestoreVerification {
  checked: number;
  mismatched: Buffer[];
  /** Written but not compared: keys of the target that Swarmdeck rewrites by itself (`rewrittenBySwarmdeck`). */
  leftOut: number;
}

/**
 * Globs of the target's keys that change by themselves while any Swarmdeck host is connected to
 * it: the metric series (`P:{m:*`: each ring hash and each series' tag hash), which every
 * host's built-in series (redis.*, queue.*, swarm.*) flush into every 250 ms — a restored bucket
 * of the current second, minute or hour gains counts at once, and each flush moves a tag hash's
 * expiry later. The series registry `P:metrics` and the alert stream `P:alerts` are Swarmdeck's
 * too but change only when a new series appears or an alert fires: a difference there is real,
 * and they stay checked, as does everything agents write (queues' per-minute stats included).
 */
export function rewrittenBySwarmdeck(targetPrefix: string): Buffer[] {
  return [Buffer.from(metricsPattern(targetPrefix))];
}

/** Restored keys against the backup: same value (bytes or content) and the expected expiry. */
export async function verifyWritten(
  backup: OpenBackup,
  o: RestorePlanOptions,
  pexpiretime: boolean,
  refused: Set<string>,
): Promise<RestoreVerification> {
  const router = new Router(o.target);
  const live = rewrittenBySwarmdeck(o.keyPrefix ?? 'sd');
  const out: RestoreVerification = { checked: 0, mismatched: [], leftOut: 0 };
  for await (const chunk of items(backup, o, { n: 0 })) {
    const written = chunk.filter((it) => !refused.has(ident(it.key)));
    const mine = written.filter((it) => !live.some((g) => globMatch(g, it.key)));
    out.leftOut += written.length - mine.length;
    const state = await readTarget(router, mine, pexpiretime);
    for (const it of mine) {
      out.checked += 1;
      const cur = state.get(ident(it.key)) as TargetState;
      const sameValue = cur.payload !== null && samePayloadContent(cur.payload, it.record.payload);
      const expiryOk = it.ttl === 0 ? cur.expireAt === -1 : it.abs ? cur.expireAt === it.ttl : cur.expireAt > 0;
      if (!sameValue || !expiryOk) out.mismatched.push(it.key);
    }
  }
  return out;
}
