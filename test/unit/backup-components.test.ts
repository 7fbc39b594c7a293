import { describe, expect, it } from 'vitest';
import { BACKUP_COMPONENTS, type BackupComponent } from '../../src/shared/model/backup';
import { globMatch } from '../../src/main/features/backup/format';
import {
  auditKey,
  componentPatterns,
  configKeys,
  lockKeys,
  memoryKeys,
  metricSeriesKeys,
  queueKeys,
  stateKeys,
  swarmKeys,
} from '../../src/main/redis/keyspace';

const P = 'sd';
/** One real key of each component, built by its own builder. */
const SAMPLE: Record<BackupComponent, string> = {
  queues: queueKeys(P, 'orders').task('17'),
  swarms: swarmKeys(P, 'research').agent('planner-1'),
  memory: memoryKeys(P, 'planner-1', 'notes').entry('plan'),
  config: configKeys(P, 'global').current,
  metrics: metricSeriesKeys(P, 'redis.ping_ms').ring('1s', '_'),
  locks: lockKeys(P, 'nightly-report').lock,
  state: stateKeys(P, 'plan:current').current,
  audit: auditKey(P),
};

describe('backup components', () => {
  const patterns = componentPatterns(P);
  const matches = (component: BackupComponent, key: string) => patterns[component].some((p) => globMatch(Buffer.from(p), Buffer.from(key)));

  it.each(BACKUP_COMPONENTS)("%s holds its own keys and no other component's", (component) => {
    expect(matches(component, SAMPLE[component])).toBe(true);
    for (const other of BACKUP_COMPONENTS.filter((c) => c !== component))
      expect(matches(component, SAMPLE[other]), `${component} ∌ ${other}`).toBe(false);
  });
});
