/**
 * The probes a restore passes before the wizard lets it start: the backup reads through whole
 * and matches its checksum, the target answers, takes the payloads' RDB version, has the memory
 * for them, and lets this user RESTORE. Nothing is written.
 */
import { SwarmdeckError } from '../../../shared/errors';
import type { PreflightCheck, PreflightReport } from '../../../shared/model/backup';
import type { Session } from '../../redis/connection-manager';
import { parseInfo } from '../../redis/info';
import { nodeHandles } from '../../redis/nodes';
import { readRecords, type OpenBackup } from './reader';
import { acceptedRdbVersion, readTopology } from './topology';

export async function preflight(session: Session, backup: OpenBackup): Promise<PreflightReport> {
  const { manifest } = backup;
  // The file first: a damaged backup fails here, not halfway through the restore's first pass.
  const integrity = await integrityCheck(backup);
  const topo = await readTopology(session.client);
  const targetRdb = acceptedRdbVersion(topo);
  const payloadRdb = manifest.rdbVersion;
  const from = manifest.topology.kind;
  const freeMemoryBytes = await freeMemory(session);
  const dataBytes = manifest.counts.payloadBytes;
  const checks: PreflightCheck[] = [
    integrity,
    { id: 'reachable', status: 'ok', message: `${topo.nodes.filter((n) => n.role !== 'replica').length} master(s) answer` },
    rdbCheck(payloadRdb, targetRdb),
    from === topo.kind
      ? { id: 'topology', status: 'ok', message: `${from} to ${topo.kind}` }
      : {
          id: 'topology',
          status: 'warn',
          message: `${from} backup into a ${topo.kind} target: keys are routed by slot; multi-key values that relied on one node stay per key`,
        },
    memoryCheck(dataBytes, freeMemoryBytes),
    await aclCheck(session),
  ];
  return {
    ok: checks.every((c) => c.status !== 'fail'),
    checks,
    payloadRdbVersion: payloadRdb,
    targetRdbVersion: targetRdb,
    backupTopology: from,
    targetTopology: topo.kind,
    dataBytes,
    freeMemoryBytes,
  };
}

/** Every record read and the SHA-256 of the file compared with the manifest's, as a restore reads it. */
async function integrityCheck(backup: OpenBackup): Promise<PreflightCheck> {
  let records = 0;
  try {
    for await (const _record of readRecords(backup)) records += 1;
  } catch (error) {
    if (!(error instanceof SwarmdeckError)) throw error;
    return { id: 'integrity', status: 'fail', message: error.message };
  }
  return { id: 'integrity', status: 'ok', message: `${records} records read through, SHA-256 as the manifest says` };
}

function rdbCheck(payloadRdb: number | null, targetRdb: number): PreflightCheck {
  return payloadRdb === null || payloadRdb <= targetRdb
    ? { id: 'rdb-version', status: 'ok', message: `payload RDB version ${payloadRdb ?? 'none'}, the target accepts up to ${targetRdb}` }
    : {
        id: 'rdb-version',
        status: 'fail',
        message: `payload RDB version ${payloadRdb} is newer than the target accepts (${targetRdb}): RESTORE would refuse every key`,
      };
}

function memoryCheck(dataBytes: number, freeMemoryBytes: number | null): PreflightCheck {
  if (freeMemoryBytes === null) return { id: 'memory', status: 'ok', message: 'no maxmemory limit on the target' };
  if (dataBytes > freeMemoryBytes)
    return { id: 'memory', status: 'fail', message: `${dataBytes} bytes to restore, ${freeMemoryBytes} bytes free under maxmemory` };
  if (dataBytes > freeMemoryBytes * 0.8)
    return {
      id: 'memory',
      status: 'warn',
      message: `${dataBytes} bytes to restore fill most of the ${freeMemoryBytes} bytes free under maxmemory`,
    };
  return { id: 'memory', status: 'ok', message: `${dataBytes} bytes to restore, ${freeMemoryBytes} bytes free` };
}

/** Free bytes under maxmemory over every master; null when any master has no limit. */
async function freeMemory(session: Session): Promise<number | null> {
  let free = 0;
  for (const h of nodeHandles(session.client, 'master')) {
    const info = parseInfo(String(await h.client.info('memory')));
    const max = Number(info.maxmemory ?? 0);
    if (max === 0) return null;
    free += Math.max(0, max - Number(info.used_memory ?? 0));
  }
  return free;
}

/** Whether this connection's user may RESTORE, asked of the server without writing (ACL DRYRUN, Redis 7). */
async function aclCheck(session: Session): Promise<PreflightCheck> {
  if (session.profile.readOnly)
    return { id: 'acl', status: 'fail', message: `profile "${session.profile.name}" is read-only: a restore is refused` };
  const node = nodeHandles(session.client, 'master')[0];
  if (!node) return { id: 'acl', status: 'warn', message: 'no master to ask' };
  try {
    const user = String(await node.client.call('ACL', 'WHOAMI'));
    const answer = String(await node.client.call('ACL', 'DRYRUN', user, 'RESTORE', 'swarmdeck-preflight', '0', 'x', 'REPLACE'));
    return answer === 'OK'
      ? { id: 'acl', status: 'ok', message: `user ${user} may RESTORE` }
      : { id: 'acl', status: 'fail', message: `user ${user} may not RESTORE: ${answer}` };
  } catch (error) {
    return { id: 'acl', status: 'warn', message: `could not ask the server whether RESTORE is allowed: ${(error as Error).message}` };
  }
}
