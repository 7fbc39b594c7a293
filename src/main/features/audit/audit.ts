import type { AuditAction } from '../../../shared/guards';
import type { StreamEntry } from '../../../shared/model/task';
import type { Session } from '../../redis/connection-manager';
import { auditKey } from '../../redis/keyspace';
import { toEntries } from '../../redis/stream-entries';

/** Writes one operator action to the prefix's audit stream (who did what to which object). */
export async function recordAudit(session: Session, action: AuditAction, target: string, detail: string, affected = 1): Promise<void> {
  await session.client.xadd(
    auditKey(session.profile.keyPrefix),
    'MAXLEN',
    '~',
    '10000',
    '*',
    'action',
    action,
    'target',
    target,
    'detail',
    detail,
    'affected',
    String(affected),
    'profile',
    session.profile.name,
    'user',
    session.actor.user,
    'host',
    session.actor.host,
    'via',
    session.actor.via,
    'at',
    String(Date.now()),
  );
}

/** Entries read per XREVRANGE while looking for matches. */
const AUDIT_PAGE = 500;
/** The most entries one filtered read walks: the stream is capped near 10,000, so this is all of it. */
const AUDIT_SCAN_BOUND = 20_000;

export interface AuditFilter {
  target?: string;
  /** An exact action, or a family when it ends in "." (e.g. "queue."). */
  action?: string;
}

/**
 * The newest operator actions of this prefix, newest first, only those matching the filter:
 * read newest first in pages until `count` match or the scan bound is reached, so a target's
 * entries are found even when hundreds of newer ones belong to others.
 */
export async function auditTrail(session: Session, count: number, filter: AuditFilter = {}): Promise<StreamEntry[]> {
  const key = auditKey(session.profile.keyPrefix);
  if (filter.target === undefined && filter.action === undefined)
    return toEntries(await session.client.xrevrange(key, '+', '-', 'COUNT', count));
  const action = filter.action;
  const matches = (e: StreamEntry): boolean =>
    (filter.target === undefined || e.fields.target === filter.target) &&
    (action === undefined || (action.endsWith('.') ? (e.fields.action ?? '').startsWith(action) : e.fields.action === action));
  const found: StreamEntry[] = [];
  let end = '+';
  for (let scanned = 0; scanned < AUDIT_SCAN_BOUND && found.length < count;) {
    const page = toEntries(await session.client.xrevrange(key, end, '-', 'COUNT', AUDIT_PAGE));
    scanned += page.length;
    for (const e of page) if (matches(e) && found.length < count) found.push(e);
    const oldest = page.at(-1);
    if (!oldest || page.length < AUDIT_PAGE) break;
    end = `(${oldest.id}`;
  }
  return found;
}
