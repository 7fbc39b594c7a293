import { SwarmdeckError } from '../../../shared/errors';
import { startPrivateServer } from '../../redis/private-server';
import { findOnPath } from '../../redis/server-launcher';
import type { JobContext } from '../jobs/job-registry';
import { keyName } from './backup-views';
import { readRecords, type OpenBackup } from './reader';

export interface ScratchRestoreResult {
  restored: number;
  failed: number;
  /** The first ten refusals, by key. */
  errors: string[];
}

/**
 * Restores every record into a private redis-server (no port, a socket in a 0700 folder, gone
 * with this process): the proof that RESTORE accepts each payload, without touching any
 * server the operator uses.
 */
export async function scratchRestore(backup: OpenBackup, ctx: JobContext): Promise<ScratchRestoreResult> {
  const binary = findOnPath('redis-server');
  if (!binary)
    throw new SwarmdeckError(
      'UNAVAILABLE',
      'A test restore needs redis-server on the PATH (Debian/Ubuntu: "sudo apt-get install redis-server")',
    );
  const scratch = await startPrivateServer(binary, { purpose: 'the test restore', signal: ctx.signal });
  const { client } = scratch;
  const out: ScratchRestoreResult = { restored: 0, failed: 0, errors: [] };
  let batch: { key: Buffer; payload: Buffer }[] = [];
  const flush = async () => {
    const p = client.pipeline();
    for (const r of batch) p.call('RESTORE', r.key, 0, r.payload, 'REPLACE');
    const replies = (await p.exec()) ?? [];
    replies.forEach(([err], i) => {
      if (!err) out.restored += 1;
      else {
        out.failed += 1;
        if (out.errors.length < 10) out.errors.push(`${keyName((batch[i] as { key: Buffer }).key).text}: ${err.message}`);
      }
    });
    batch = [];
    ctx.progress({ done: out.restored + out.failed });
  };
  try {
    for await (const r of readRecords(backup)) {
      if (ctx.signal.aborted) throw new SwarmdeckError('CONFLICT', 'The verification was cancelled', { reason: 'cancelled' });
      batch.push({ key: r.key, payload: r.payload });
      if (batch.length >= 1000) await flush();
    }
    if (batch.length > 0) await flush();
    return out;
  } finally {
    await scratch.stop();
  }
}
