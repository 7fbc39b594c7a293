import { RESOLUTIONS, type MetricsUsage, type Resolution } from '../../../shared/model/metrics';
import type { Session } from '../../redis/connection-manager';
import { metricKeyResolution, metricsPattern } from '../../redis/keyspace';
import { nodeHandles } from '../../redis/nodes';

/** MEMORY USAGE on every key would cost a round trip each; a sample per resolution is enough. */
const MEMORY_SAMPLE = 100;

export type MetricsFootprint = Pick<MetricsUsage, 'keys' | 'bytes' | 'bytesByResolution'>;

/** How many keys the metrics hold on every master and about how many bytes, per resolution. */
export async function metricsFootprint(session: Session): Promise<MetricsFootprint> {
  const sampleByRes: Record<Resolution, string[]> = { '1s': [], '1m': [], '1h': [] };
  const counts: Record<Resolution, number> = { '1s': 0, '1m': 0, '1h': 0 };
  let keys = 0;
  for (const node of nodeHandles(session.client, 'master')) {
    let cursor = '0';
    do {
      const [next, batch] = await node.client.scan(cursor, 'MATCH', metricsPattern(session.profile.keyPrefix), 'COUNT', 1000);
      cursor = next;
      for (const key of batch) {
        keys += 1;
        const res = metricKeyResolution(key);
        if (res === '1s' || res === '1m' || res === '1h') {
          counts[res] += 1;
          if (sampleByRes[res].length < MEMORY_SAMPLE) sampleByRes[res].push(key);
        }
      }
    } while (cursor !== '0');
  }
  const bytesByResolution: Record<Resolution, number> = { '1s': 0, '1m': 0, '1h': 0 };
  for (const res of RESOLUTIONS) {
    const sample = sampleByRes[res];
    if (sample.length === 0) continue;
    const sizes = await Promise.all(sample.map((key) => session.client.memory('USAGE', key) as Promise<number | null>));
    const total = sizes.reduce<number>((a, b) => a + (b ?? 0), 0);
    bytesByResolution[res] = Math.round((total / sample.length) * counts[res]);
  }
  return { keys, bytes: bytesByResolution['1s'] + bytesByResolution['1m'] + bytesByResolution['1h'], bytesByResolution };
}
