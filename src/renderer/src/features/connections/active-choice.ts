import type { ConnectionStatus } from '../../../../shared/model/health';

type Statuses = Record<string, ConnectionStatus>;

const live = (status: ConnectionStatus | undefined): boolean => status?.state === 'connected' || status?.state === 'reconnecting';

/**
 * Which profile the pages are about. The operator's choice stands while it is live (or failed:
 * its reason must stay in view rather than be swapped for another environment behind their
 * back); otherwise the remembered one if it is up, otherwise the first live one, so no page
 * says "No live connection" while a connection is up.
 */
export function chooseActive(
  current: string | undefined,
  remembered: string | undefined,
  statuses: Statuses,
  order: string[],
): string | undefined {
  if (current && (live(statuses[current]) || statuses[current]?.state === 'failed' || statuses[current]?.state === 'connecting'))
    return current;
  if (remembered && live(statuses[remembered])) return remembered;
  const ids = [...order, ...Object.keys(statuses).filter((id) => !order.includes(id))];
  return ids.find((id) => live(statuses[id])) ?? current;
}
