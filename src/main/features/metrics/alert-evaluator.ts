import type { Clock } from '../../../shared/clock';
import { SwarmdeckError } from '../../../shared/errors';
import type { AlertRule, AlertView } from '../../../shared/model/metrics';
import type { EventBus } from '../../event-bus';
import type { ConnectionManager, Session } from '../../redis/connection-manager';
import { breaches, clears, type AlertRuleStore } from './alert-rules';
import { appendAlert, readAlerts } from './alert-stream';
import { emptyAggregate, mergeInto, toBucket } from './histogram';
import { readRange } from './query';

interface RuleState {
  /** Since when the condition has held without firing yet. */
  pendingSince?: number;
  firing?: AlertView;
}

export interface AlertEvaluatorOptions {
  connections: ConnectionManager;
  rules: AlertRuleStore;
  bus: EventBus;
  clock: Clock;
}

/**
 * Alert rules judged against the recorded series: what fires, resolves and is acknowledged,
 * kept in the alerts stream (so a restart picks up what was firing) and pushed on the bus.
 */
export class AlertEvaluator {
  private readonly evaluation = new Map<string, Map<string, RuleState>>();
  private readonly evaluating = new Map<string, Promise<unknown>>();

  constructor(private readonly o: AlertEvaluatorOptions) {}

  /** A profile closed: its evaluator memory is rebuilt from the stream when it comes back. */
  forget(profileId: string): void {
    this.evaluation.delete(profileId);
    this.evaluating.delete(profileId);
  }

  /** A rule was deleted: an alert it had firing is no longer tracked. */
  forgetRule(profileId: string, ruleId: string): void {
    this.evaluation.get(profileId)?.delete(ruleId);
  }

  async alerts(profileId: string, count: number): Promise<AlertView[]> {
    const session = this.o.connections.session(profileId);
    const all = [...(await readAlerts(session)).values()];
    all.sort((a, b) => (a.state === b.state ? b.firedAt - a.firedAt : a.state === 'firing' ? -1 : 1));
    return all.slice(0, count);
  }

  async ack(profileId: string, id: string): Promise<AlertView> {
    const session = this.o.connections.session(profileId);
    const alert = (await readAlerts(session)).get(id);
    if (!alert) throw new SwarmdeckError('NOT_FOUND', `No alert "${id}" in the recent alerts of profile "${profileId}"`);
    if (alert.acknowledgedAt !== undefined) return alert;
    const acked: AlertView = { ...alert, acknowledgedAt: this.o.clock.now() };
    await appendAlert(session, 'ack', acked, this.o.clock.now());
    const live = this.evaluation.get(profileId)?.get(alert.ruleId);
    if (live?.firing?.id === id) live.firing = acked;
    this.o.bus.emit({ type: 'alerts', profileId, alert: acked, firing: this.firingCount(profileId) });
    return acked;
  }

  /**
   * One pass of the evaluator: each enabled rule's figure over its window, a condition that
   * has held for `forSec` fires, a firing alert resolves once clear by the hysteresis. Returns
   * the alerts that changed state in this pass.
   */
  evaluate(profileId: string): Promise<AlertView[]> {
    // Passes of one profile run one after another: two at once (the beat and a caller) would
    // both see a rule not firing yet and fire it twice.
    const run = (this.evaluating.get(profileId) ?? Promise.resolve()).then(() => this.evaluateNow(profileId));
    this.evaluating.set(
      profileId,
      run.catch(() => undefined),
    );
    return run;
  }

  private async evaluateNow(profileId: string): Promise<AlertView[]> {
    const session = this.o.connections.session(profileId);
    if (session.profile.readOnly) return [];
    const states = await this.ruleStates(session);
    const rules = await this.o.rules.rules(profileId);
    const now = this.o.clock.now();
    const changed: AlertView[] = [];
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const state = states.get(rule.id) ?? {};
      states.set(rule.id, state);
      const alert = await this.judge(session, rule, state, now);
      if (alert) changed.push(alert);
    }
    for (const alert of changed) this.o.bus.emit({ type: 'alerts', profileId, alert, firing: this.firingCount(profileId) });
    return changed;
  }

  /** One rule's step: the alert it fired or resolved, if its state changed. */
  private async judge(session: Session, rule: AlertRule, state: RuleState, now: number): Promise<AlertView | undefined> {
    const value = await this.figure(session, rule, now);
    if (value === undefined) {
      // No samples in the window: nothing to judge; a pending condition starts over.
      state.pendingSince = undefined;
      return undefined;
    }
    if (state.firing) {
      if (!clears(rule.op, value, rule.threshold, rule.hysteresis)) return undefined;
      const resolved: AlertView = { ...state.firing, state: 'resolved', value, resolvedAt: now };
      state.firing = undefined;
      state.pendingSince = undefined;
      await appendAlert(session, 'resolve', resolved, this.o.clock.now());
      return resolved;
    }
    if (!breaches(rule.op, value, rule.threshold)) {
      state.pendingSince = undefined;
      return undefined;
    }
    state.pendingSince ??= now;
    if (now - state.pendingSince < rule.forSec * 1000) return undefined;
    const fired = firedAlert(rule, value, now);
    state.firing = fired;
    state.pendingSince = undefined;
    await appendAlert(session, 'fire', fired, this.o.clock.now());
    return fired;
  }

  private firingCount(profileId: string): number {
    let n = 0;
    for (const state of this.evaluation.get(profileId)?.values() ?? []) if (state.firing) n += 1;
    return n;
  }

  private async figure(session: Session, rule: AlertRule, now: number): Promise<number | undefined> {
    let range;
    try {
      // Complete seconds only: the current one is still being written by agents and would judge a partial figure.
      const end = Math.floor(now / 1000) * 1000;
      range = await readRange(session.client, session.profile.keyPrefix, {
        series: rule.series,
        tags: rule.tags,
        from: end - rule.windowSec * 1000,
        to: end,
        resolution: '1s',
      });
    } catch (error) {
      if (error instanceof SwarmdeckError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
    const all = emptyAggregate();
    for (const agg of range.values()) mergeInto(all, agg);
    if (all.count === 0) return undefined;
    return toBucket(0, all)[rule.stat];
  }

  /** The evaluator's memory for a profile, rebuilt from the alerts stream after a restart. */
  private async ruleStates(session: Session): Promise<Map<string, RuleState>> {
    const id = session.profile.id;
    const known = this.evaluation.get(id);
    if (known) return known;
    const states = new Map<string, RuleState>();
    for (const alert of (await readAlerts(session)).values()) {
      if (alert.state === 'firing') states.set(alert.ruleId, { firing: alert });
    }
    this.evaluation.set(id, states);
    return states;
  }
}

function firedAlert(rule: AlertRule, value: number, now: number): AlertView {
  return {
    id: `${rule.id}-${now}`,
    ruleId: rule.id,
    ruleName: rule.name,
    series: rule.series,
    severity: rule.severity,
    state: 'firing',
    value,
    threshold: rule.threshold,
    op: rule.op,
    firedAt: now,
    message: `${rule.name}: ${rule.stat} of ${rule.series} over ${rule.windowSec} s is ${round(value)} (${rule.op} ${rule.threshold})`,
  };
}

const round = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
