import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { SwarmdeckError } from '../../../shared/errors';
import type { Thresholds } from '../../../shared/model/health';
import { AlertRuleSchema, type AlertOp, type AlertRule } from '../../../shared/model/metrics';
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';

const StoredRule = AlertRuleSchema.extend({ id: z.string().regex(/^[a-z0-9-]{1,64}$/) });
// Loose, so keys written by a newer version survive a write by this one.
const RulesDocSchema = z.looseObject({
  version: z.literal(1),
  /** Per profile; a profile absent here has the default rules. */
  profiles: z.record(z.string(), z.array(StoredRule)),
});
type RulesDoc = z.infer<typeof RulesDocSchema>;

/**
 * The foundation's health thresholds as rules on the built-in series, so a profile nobody has
 * configured still warns about PING latency and memory as before.
 */
export function defaultRules(t: Thresholds): AlertRule[] {
  const base = { stat: 'max', forSec: 0, hysteresis: 0, enabled: true } as const;
  return [
    {
      ...base,
      id: 'default-latency',
      name: 'PING p99 latency',
      series: 'redis.ping_ms',
      stat: 'p99',
      windowSec: 60,
      op: 'gt',
      threshold: t.latencyWarnMs,
      severity: 'warning',
    },
    {
      ...base,
      id: 'default-memory-warn',
      name: 'Memory near maxmemory',
      series: 'redis.memory_ratio',
      windowSec: 10,
      op: 'gte',
      threshold: t.memoryWarnRatio,
      hysteresis: 0.02,
      severity: 'warning',
    },
    {
      ...base,
      id: 'default-memory-crit',
      name: 'Memory at maxmemory',
      series: 'redis.memory_ratio',
      windowSec: 10,
      op: 'gte',
      threshold: t.memoryCritRatio,
      hysteresis: 0.02,
      severity: 'critical',
    },
  ];
}

/** Alert rules per profile, in the Swarmdeck home (`alert-rules.json`), changed under the home's lock. */
export class AlertRuleStore {
  private readonly file: JsonFile<RulesDoc>;

  constructor(
    home: string,
    private readonly thresholds: () => Promise<Thresholds>,
  ) {
    this.file = new JsonFile(join(home, 'alert-rules.json'), RulesDocSchema, () => ({ version: 1, profiles: {} }), homeLock(home));
  }

  async rules(profileId: string): Promise<AlertRule[]> {
    const doc = await this.file.read();
    return doc.profiles[profileId] ?? defaultRules(await this.thresholds());
  }

  async set(profileId: string, input: z.output<typeof AlertRuleSchema>): Promise<AlertRule> {
    const defaults = defaultRules(await this.thresholds());
    return this.file.update((doc) => {
      const rules = doc.profiles[profileId] ?? defaults;
      const rule: AlertRule = { ...input, id: input.id ?? `r-${randomBytes(6).toString('hex')}` };
      const at = rules.findIndex((r) => r.id === rule.id);
      if (at < 0 && input.id !== undefined) throw new SwarmdeckError('NOT_FOUND', `No alert rule "${input.id}" on profile "${profileId}"`);
      if (at < 0 && rules.length >= 200) throw new SwarmdeckError('VALIDATION', 'A profile holds at most 200 alert rules');
      doc.profiles[profileId] = at < 0 ? [...rules, rule] : rules.map((r, i) => (i === at ? rule : r));
      return rule;
    });
  }

  async delete(profileId: string, id: string): Promise<boolean> {
    const defaults = defaultRules(await this.thresholds());
    return this.file.update((doc) => {
      const rules = doc.profiles[profileId] ?? defaults;
      const kept = rules.filter((r) => r.id !== id);
      doc.profiles[profileId] = kept;
      return kept.length !== rules.length;
    });
  }
}

/** Whether a value breaches the rule. */
export function breaches(op: AlertOp, value: number, threshold: number): boolean {
  switch (op) {
    case 'gt':
      return value > threshold;
    case 'gte':
      return value >= threshold;
    case 'lt':
      return value < threshold;
    case 'lte':
      return value <= threshold;
    case 'eq':
      return value === threshold;
  }
}

/**
 * Whether a firing alert may resolve: the value must be back past the threshold by the
 * hysteresis, so a series that flaps around the threshold fires once, not on every crossing.
 */
export function clears(op: AlertOp, value: number, threshold: number, hysteresis: number): boolean {
  switch (op) {
    case 'gt':
      return value <= threshold - hysteresis;
    case 'gte':
      return value < threshold - hysteresis;
    case 'lt':
      return value >= threshold + hysteresis;
    case 'lte':
      return value > threshold + hysteresis;
    case 'eq':
      return Math.abs(value - threshold) > hysteresis;
  }
}
