import type { ConsoleKeysResult } from '../../../shared/model/console';
import type { Session } from '../../redis/connection-manager';
import { nodeHandles } from '../../redis/nodes';
import { escapePreview } from './reply';
import { findNode } from './routing';

export interface KeysOptions {
  pattern: string;
  count?: number;
  budget?: number;
  limit?: number;
  node?: string;
}

/** What KEYS would list, by SCAN on every master (or one node), within a budget of keys looked at. */
export async function scanKeys(session: Session, options: KeysOptions): Promise<ConsoleKeysResult> {
  const count = options.count ?? 1000;
  const budget = options.budget ?? 100_000;
  const limit = options.limit ?? 1000;
  const nodes = options.node ? [findNode(session, options.node)] : nodeHandles(session.client, 'master');
  const keys: string[] = [];
  let scanned = 0;
  let complete = true;
  for (const node of nodes) {
    let cursor = '0';
    do {
      if (scanned >= budget || keys.length >= limit) {
        complete = false;
        break;
      }
      const [next, found] = await node.client.scanBuffer(cursor, 'MATCH', options.pattern, 'COUNT', count);
      // SCAN looks at about COUNT slots of the table per call; it does not say how many keys exactly.
      scanned += count;
      cursor = String(next);
      for (const key of found) if (keys.length < limit) keys.push(printableKey(key));
    } while (cursor !== '0');
    if (!complete) break;
  }
  return { keys, scanned, complete };
}

/** A key the operator can paste back: as text when it is UTF-8, else quoted with `\xHH`. */
function printableKey(key: Buffer): string {
  const text = key.toString('utf8');
  return Buffer.from(text, 'utf8').equals(key) ? text : `"${escapePreview(key)}"`;
}
