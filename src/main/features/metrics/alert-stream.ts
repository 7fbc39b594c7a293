import type { AlertView } from '../../../shared/model/metrics';
import type { Session } from '../../redis/connection-manager';
import { alertsStreamKey } from '../../redis/keyspace';
import { toEntries } from '../../redis/stream-entries';

/** Entries of the alerts stream folded per evaluation, enough for every alert still of interest. */
const ALERT_STREAM_READ = 2000;

/** The latest view of every alert in the recent stream, by alert id, oldest first. */
export async function readAlerts(session: Session): Promise<Map<string, AlertView>> {
  const raw = (await session.client.xrevrange(alertsStreamKey(session.profile.keyPrefix), '+', '-', 'COUNT', ALERT_STREAM_READ)) as [
    string,
    string[],
  ][];
  const out = new Map<string, AlertView>();
  for (const entry of toEntries(raw).reverse()) {
    const f = entry.fields;
    const id = f.alert;
    if (!id || !f.view) continue;
    out.set(id, JSON.parse(f.view) as AlertView);
  }
  return out;
}

export async function appendAlert(session: Session, kind: 'fire' | 'resolve' | 'ack', alert: AlertView, at: number): Promise<void> {
  await session.client.xadd(
    alertsStreamKey(session.profile.keyPrefix),
    'MAXLEN',
    '~',
    '10000',
    '*',
    'kind',
    kind,
    'alert',
    alert.id,
    'rule',
    alert.ruleId,
    'severity',
    alert.severity,
    'value',
    String(alert.value),
    'at',
    String(at),
    // The whole view, so a reader folds the stream without knowing the rule (which may be gone).
    'view',
    JSON.stringify(alert),
  );
}
