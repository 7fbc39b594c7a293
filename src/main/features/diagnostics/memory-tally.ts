import type { BigKey, MemoryAnalysis, NamespaceStats } from '../../../shared/model/diagnostics';
import { Findings, bytes } from './findings';

export const SIZE_COMMAND: Record<string, { command: string; unit: BigKey['sizeUnit'] }> = {
  string: { command: 'strlen', unit: 'bytes' },
  list: { command: 'llen', unit: 'elements' },
  set: { command: 'scard', unit: 'elements' },
  zset: { command: 'zcard', unit: 'elements' },
  hash: { command: 'hlen', unit: 'entries' },
  stream: { command: 'xlen', unit: 'entries' },
};

/** A key is big when its size or its memory passes its type's threshold. */
const BIG: Record<string, { size: number; memory: number }> = {
  string: { size: 1024 * 1024, memory: 1024 * 1024 },
  list: { size: 10_000, memory: 10 * 1024 * 1024 },
  set: { size: 10_000, memory: 10 * 1024 * 1024 },
  zset: { size: 10_000, memory: 10 * 1024 * 1024 },
  hash: { size: 10_000, memory: 10 * 1024 * 1024 },
  stream: { size: 100_000, memory: 10 * 1024 * 1024 },
};
const CRITICAL_MEMORY = 100 * 1024 * 1024;

const TTL_BUCKETS: Array<[string, number]> = [
  ['under 1 minute', 60_000],
  ['under 1 hour', 3_600_000],
  ['under 1 day', 86_400_000],
  ['under 1 week', 7 * 86_400_000],
  ['a week or more', Infinity],
];

/** Digits, a UUID or a long hex run: a segment that names one object, not a kind of object. */
const ID_SEGMENT = /^(\d+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Namespace of a key: up to its first two `:`-separated segments, hash tags kept whole; a
 * second segment that is an id folds into `*`, so `agent:543:memory` counts with every agent.
 */
export function namespaceOf(key: string): string {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of key) {
    if (ch === '{') depth += 1;
    if (ch === '}' && depth > 0) depth -= 1;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
      if (parts.length === 2) break;
    } else current += ch;
  }
  if (parts.length === 0) return '(no namespace)';
  if (parts.length === 2 && ID_SEGMENT.test(parts[1] as string)) parts.length = 1;
  return `${parts.join(':')}:*`;
}

/** What the memory analysis learns key by key: namespaces, TTLs, the biggest and the big keys. */
export class MemoryTally {
  private readonly namespaces = new Map<string, NamespaceStats>();
  readonly biggestBySize: Record<string, BigKey> = {};
  readonly biggestByMemory: Record<string, BigKey> = {};
  private readonly bigKeys: BigKey[] = [];
  private readonly ttl = new Map<string, number>([['no TTL', 0], ...TTL_BUCKETS.map(([b]) => [b, 0] as [string, number])]);

  add(entry: BigKey, pttl: number): void {
    const { key, type, size, memoryBytes } = entry;
    const ns = namespaceOf(key);
    const stats = this.namespaces.get(ns) ?? { namespace: ns, keys: 0, bytes: 0, withoutTtl: 0 };
    stats.keys += 1;
    stats.bytes += memoryBytes;
    if (pttl < 0) stats.withoutTtl += 1;
    this.namespaces.set(ns, stats);
    const bucket = pttl < 0 ? 'no TTL' : (TTL_BUCKETS.find(([, limit]) => pttl < limit) as [string, number])[0];
    this.ttl.set(bucket, (this.ttl.get(bucket) ?? 0) + 1);
    // Strictly greater, as redis-cli ranks: the first key seen keeps a tie.
    if (!this.biggestBySize[type] || size > (this.biggestBySize[type] as BigKey).size) this.biggestBySize[type] = entry;
    if (!this.biggestByMemory[type] || memoryBytes > (this.biggestByMemory[type] as BigKey).memoryBytes) this.biggestByMemory[type] = entry;
    const limit = BIG[type];
    if (limit && (size >= limit.size || memoryBytes >= limit.memory)) this.bigKeys.push(entry);
  }

  /** The findings of the whole scan (big keys first, biggest first), and what the report lists. */
  conclude(findings: Findings): Pick<MemoryAnalysis, 'namespaces' | 'bigKeys' | 'biggestBySize' | 'biggestByMemory' | 'ttl'> {
    const bigKeys = this.bigKeys.sort((a, b) => b.memoryBytes - a.memoryBytes);
    bigKeyFindings(bigKeys, findings);
    const nsList = [...this.namespaces.values()].sort((a, b) => b.bytes - a.bytes);
    withoutTtlFindings(nsList, findings);
    return {
      namespaces: nsList.slice(0, 200),
      bigKeys: bigKeys.slice(0, 100),
      biggestBySize: this.biggestBySize,
      biggestByMemory: this.biggestByMemory,
      ttl: [...this.ttl.entries()].map(([bucket, keys]) => ({ bucket, keys })),
    };
  }
}

function bigKeyFindings(bigKeys: BigKey[], findings: Findings): void {
  for (const k of bigKeys.slice(0, 20)) {
    findings.add({
      id: 'big-key',
      severity: k.memoryBytes >= CRITICAL_MEMORY ? 'critical' : 'warning',
      title: `Big ${k.type}: ${k.key}`,
      detail: `${k.key} holds ${k.size} ${k.sizeUnit} in ${bytes(k.memoryBytes)} on ${k.node}; reading, deleting or migrating it blocks the server.`,
      recommendation:
        k.type === 'string'
          ? 'Split the value or store it outside Redis; delete it with UNLINK.'
          : 'Split it into smaller keys (by time or by id range) and read it with the SCAN family, never whole.',
      evidence: [
        {
          command: `MEMORY USAGE + ${SIZE_COMMAND[k.type]?.command.toUpperCase() ?? 'TYPE'}`,
          node: k.node,
          figures: { key: k.key, type: k.type, size: k.size, memoryBytes: k.memoryBytes },
        },
      ],
      node: k.node,
    });
  }
}

function withoutTtlFindings(nsList: NamespaceStats[], findings: Findings): void {
  for (const ns of nsList) {
    // A namespace "should expire" when most of its keys do: the rest were probably written without a TTL by mistake.
    const expiring = ns.keys - ns.withoutTtl;
    if (ns.withoutTtl > 0 && ns.keys >= 10 && expiring / ns.keys >= 0.8) {
      findings.add({
        id: 'keys-without-ttl',
        severity: 'warning',
        title: `${ns.withoutTtl} keys without TTL in ${ns.namespace}`,
        detail: `${expiring} of the ${ns.keys} keys in ${ns.namespace} expire, but ${ns.withoutTtl} do not: they will stay forever and grow memory.`,
        recommendation:
          'Find the code path that writes these keys without EX/PX (or with a SET that dropped the TTL) and give them one; EXPIRE the existing ones.',
        evidence: [{ command: 'SCAN + PTTL', figures: { namespace: ns.namespace, keys: ns.keys, withoutTtl: ns.withoutTtl } }],
      });
    }
  }
}
