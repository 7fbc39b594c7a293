import { RESOLUTIONS, type MetricsUsage, type OwnFootprint, type Resolution } from '../../../shared/model/metrics';
import type { Session } from '../../redis/connection-manager';
import { alertsStreamKey, auditKey, metricKeyKind, metricsPattern, metricsRegistryKey, restoreLockKey } from '../../redis/keyspace';
import { nodeHandles } from '../../redis/nodes';

/** MEMORY USAGE on every key would cost a round trip each; a sample per kind of key is enough. */
const MEMORY_SAMPLE = 100;

export type MetricsFootprint = Pick<MetricsUsage, 'keys' | 'legacyKeys' | 'bytes' | 'bytesByResolution'>;

type Kind = Resolution | 'tags';

/** Bytes of a sample of keys scaled to how many there are. */
async function estimate(session: Session, sample: string[], count: number): Promise<number> {
  if (sample.length === 0) return 0;
  const sizes = await Promise.all(sample.map((key) => session.client.memory('USAGE', key) as Promise<number | null>));
  return Math.round((sizes.reduce<number>((a, b) => a + (b ?? 0), 0) / sample.length) * count);
}

/**
 * How many keys the metrics hold on every master and about how many bytes, per resolution
 * (rings and the per-bucket keys written before them alike) and in tag hashes.
 */
export async function metricsFootprint(session: Session): Promise<MetricsFootprint> {
  const samples: Record<Kind, string[]> = { '1s': [], '1m': [], '1h': [], tags: [] };
  const counts: Record<Kind, number> = { '1s': 0, '1m': 0, '1h': 0, tags: 0 };
  let keys = 0;
  let legacyKeys = 0;
  for (const node of nodeHandles(session.client, 'master')) {
    let cursor = '0';
    do {
      const [next, batch] = await node.client.scan(cursor, 'MATCH', metricsPattern(session.profile.keyPrefix), 'COUNT', 1000);
      cursor = next;
      for (const key of batch) {
        keys += 1;
        const found = metricKeyKind(key);
        if (found.kind === 'legacy') legacyKeys += 1;
        const kind = found.kind === 'tags' ? 'tags' : (found.resolution as Kind);
        if (!(kind in counts)) continue;
        counts[kind] += 1;
        if (samples[kind].length < MEMORY_SAMPLE) samples[kind].push(key);
      }
    } while (cursor !== '0');
  }
  const bytesByResolution: Record<Resolution, number> = { '1s': 0, '1m': 0, '1h': 0 };
  for (const res of RESOLUTIONS) bytesByResolution[res] = await estimate(session, samples[res], counts[res]);
  const tagBytes = await estimate(session, samples.tags, counts.tags);
  const bytes = tagBytes + bytesByResolution['1s'] + bytesByResolution['1m'] + bytesByResolution['1h'];
  return { keys, legacyKeys, bytes, bytesByResolution };
}

/** Swarmdeck's keys on the target besides the series: one each, so each is measured. */
const OWN_KEYS: { name: string; key: (prefix: string) => string }[] = [
  { name: 'series registry', key: metricsRegistryKey },
  { name: 'alerts', key: alertsStreamKey },
  { name: 'audit', key: auditKey },
  { name: 'restore lock', key: restoreLockKey },
];

/** Everything Swarmdeck itself keeps on this target: the metric series and the keys of `OWN_KEYS`. */
export async function ownFootprint(session: Session, metrics: MetricsFootprint): Promise<OwnFootprint> {
  const prefix = session.profile.keyPrefix;
  const sizes = await Promise.all(OWN_KEYS.map(({ key }) => session.client.memory('USAGE', key(prefix)) as Promise<number | null>));
  const parts = [
    { name: 'metric series', keys: metrics.keys, bytes: metrics.bytes },
    ...OWN_KEYS.flatMap(({ name }, i) => {
      const size = sizes[i];
      return size === null || size === undefined ? [] : [{ name, keys: 1, bytes: size }];
    }),
  ];
  return { keys: parts.reduce((n, p) => n + p.keys, 0), bytes: parts.reduce((n, p) => n + p.bytes, 0), parts };
}
