import { useState } from 'react';
import type { GuardDecision } from '../../../../shared/guards';
import { ALERT_OPS, ALERT_STATS, type AlertRuleInput, type SeriesInfo } from '../../../../shared/model/metrics';
import { refusedProps } from '../../components/guard-button';
import { OP_TEXT } from './alert-rules';

interface Props {
  initial: AlertRuleInput;
  series: SeriesInfo[];
  decide(rule: AlertRuleInput): GuardDecision;
  busy: boolean;
  onSave(rule: AlertRuleInput): void;
  onCancel(): void;
}

type SetField = <K extends keyof AlertRuleInput>(k: K, v: AlertRuleInput[K]) => void;

/** A new rule, or an existing one edited: what it watches, when it fires, how loud. */
export function RuleForm({ initial, series, decide, busy, onSave, onCancel }: Props) {
  const [rule, setRule] = useState(initial);
  const decision = decide(rule);
  const set: SetField = (k, v) => setRule((r) => ({ ...r, [k]: v }));
  return (
    <form
      className="editor-section rule-form"
      data-testid="rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (decision.allowed && rule.name.trim() !== '' && rule.series !== '') onSave(rule);
      }}
    >
      <RuleFields rule={rule} series={series} set={set} />
      <label className="toggle">
        <input type="checkbox" checked={rule.enabled} onChange={(e) => set('enabled', e.target.checked)} /> enabled
      </label>
      <div className="inline" style={{ marginTop: 8 }}>
        {/* The name is what production asks to type: no dialog for a rule without one. */}
        <button
          type="submit"
          className="btn btn-primary btn-small"
          disabled={busy || !decision.allowed || rule.name.trim() === '' || rule.series === ''}
          {...refusedProps(decision)}
        >
          Save rule
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RuleFields({ rule, series, set }: { rule: AlertRuleInput; series: SeriesInfo[]; set: SetField }) {
  const num = (k: 'windowSec' | 'forSec' | 'threshold' | 'hysteresis') => ({
    type: 'number',
    value: String(rule[k]),
    onChange: (e: { target: { value: string } }) => set(k, Number(e.target.value)),
  });
  return (
    <div className="grid-3">
      <label className="field">
        Name
        <input aria-label="Rule name" value={rule.name} onChange={(e) => set('name', e.target.value)} />
      </label>
      <label className="field">
        Series
        <select aria-label="Rule series" value={rule.series} onChange={(e) => set('series', e.target.value)}>
          <option value="">choose…</option>
          {series.map((s) => (
            <option key={s.series} value={s.series}>
              {s.series}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Severity
        <select
          aria-label="Rule severity"
          value={rule.severity}
          onChange={(e) => set('severity', e.target.value === 'critical' ? 'critical' : 'warning')}
        >
          <option value="warning">warning</option>
          <option value="critical">critical</option>
        </select>
      </label>
      <label className="field">
        Figure
        <select
          aria-label="Rule stat"
          value={rule.stat}
          onChange={(e) => set('stat', ALERT_STATS.find((s) => s === e.target.value) ?? 'avg')}
        >
          {ALERT_STATS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="field">
        Over (s)
        <input aria-label="Rule window" {...num('windowSec')} />
      </label>
      <label className="field">
        Comparison
        <select aria-label="Rule op" value={rule.op} onChange={(e) => set('op', ALERT_OPS.find((o) => o === e.target.value) ?? 'gt')}>
          {ALERT_OPS.map((o) => (
            <option key={o} value={o}>
              {OP_TEXT[o]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Threshold
        <input aria-label="Rule threshold" step="any" {...num('threshold')} />
      </label>
      <label className="field">
        For (s)
        <input aria-label="Rule for" {...num('forSec')} />
      </label>
      <label className="field">
        Hysteresis
        <input aria-label="Rule hysteresis" step="any" {...num('hysteresis')} />
      </label>
    </div>
  );
}
