import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackup, verifyBackup, type BackupResult } from '../../src/main/features/backup';
import { SwarmdeckError } from '../../src/shared/errors';
import { bed, BED_DIR, ROOT, tempHome } from '../support/bed';
import { dropMany, seedMany } from './backup-seed';

const KEYS = 150_000;

describe('backup through a cluster failover', () => {
  const client = new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }], {
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  const prefix = `fo:${Date.now().toString(36)}:`;
  afterAll(async () => {
    client.disconnect();
    execFileSync(process.execPath, [join(ROOT, 'scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
    // 150,000 keys left behind would make every later scan of the shared cluster slower and partial.
    const cleaner = new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]);
    await dropMany(cleaner, prefix, KEYS);
    cleaner.disconnect();
  }, 120_000);

  it('a master SIGKILLed mid-backup fails the backup loudly or it completes whole, never a quiet partial file', async () => {
    await seedMany(client, prefix, KEYS);
    const root = tempHome();
    const profile = { id: 'failover', name: 'cluster', environment: 'production' as const };
    let killed: string | undefined;
    let outcome: BackupResult | SwarmdeckError | Error;
    try {
      outcome = await createBackup(client, profile, {
        root,
        scope: { kind: 'prefixes', prefixes: [prefix] },
        // Small batches so that the run is still going when the kill lands.
        batchBytes: 4096,
        onProgress: (p) => {
          if (killed || p.keys < KEYS * 0.2) return;
          const slowest = [...p.shards].sort((a, b) => a.keys - b.keys)[0];
          killed = slowest?.address;
          const pid = Number(readFileSync(join(BED_DIR, `cluster-${killed?.split(':')[1]}`, 'redis.pid'), 'utf8'));
          process.kill(pid, 'SIGKILL');
        },
      });
    } catch (error) {
      outcome = error as Error;
    }
    const files = readdirSync(join(root, profile.id));
    console.log(
      `[backup failover] ${JSON.stringify({ keys: KEYS, killed, outcome: outcome instanceof Error ? { name: outcome.name, code: (outcome as SwarmdeckError).code, message: outcome.message } : outcome.manifest.counts.keys, files })}`,
    );
    expect(killed).toBeDefined();
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(SwarmdeckError);
      expect(['CLUSTER_FAILED', 'REDIS_ERROR']).toContain((outcome as SwarmdeckError).code);
      expect(files).toEqual([]);
    } else {
      expect(outcome.manifest.counts.keys).toBe(KEYS);
      expect((await verifyBackup(root, profile.id, outcome.id)).ok).toBe(true);
    }
  }, 180_000);
});
