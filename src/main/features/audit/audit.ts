import type { StreamEntry } from '../../../shared/model/task';
import type { Session } from '../../redis/connection-manager';
import { auditKey } from '../../redis/keyspace';
import { toEntries } from '../../redis/stream-entries';

/** Writes one operator action to the prefix's audit stream (who did what to which object). */
export async function recordAudit(session: Session, action: string, target: string, detail: string, affected = 1): Promise<void> {
  await session.client.xadd(auditKey(session.profile.keyPrefix), 'MAXLEN', '~', '10000', '*', 'action', action, 'target', target, 'detail', detail, 'affected', String(affected), 'profile', session.profile.name, 'at', String(Date.now()));
}

/** The newest operator actions of this prefix, newest first. */
export async function auditTrail(session: Session, count: number): Promise<StreamEntry[]> {
  return toEntries(await session.client.xrevrange(auditKey(session.profile.keyPrefix), '+', '-', 'COUNT', count));
}
