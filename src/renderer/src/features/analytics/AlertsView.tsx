import { useEffect, useState } from 'react';
import { declaredGuard } from '../../../../shared/declared-guard';
import type { GuardDecision } from '../../../../shared/guards';
import {
  ALERT_OPS,
  ALERT_STATS,
  type AlertRule,
  type AlertRuleInput,
  type AlertView,
  type SeriesInfo,
} from '../../../../shared/model/metrics';
import type { ProfileView } from '../../../../shared/model/profile';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { transport } from '../../transport';
import { askNotifyOnce, notifyState, useAlerts, type NotifyState } from './alerts-store';

const OP_TEXT: Record<AlertRule['op'], string> = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=' };
const time = (t: number | undefined): string => (t ? new Date(t).toLocaleString() : '—');

const BLANK: AlertRuleInput = {
  name: '',
  series: '',
  stat: 'avg',
  windowSec: 60,
  op: 'gt',
  threshold: 0,
  forSec: 0,
  hysteresis: 0,
  severity: 'warning',
  enabled: true,
};

type RuleChange = { kind: 'save'; rule: AlertRuleInput } | { kind: 'delete'; rule: AlertRule };

/** Main names a rule that exists by its id, not by a name the same call could change: say so where it is what is typed. */
const typedNote = (name: string, decision: GuardDecision): string =>
  decision.confirm && decision.confirm.expected !== name
    ? ` An existing rule is named by its id (${decision.confirm.expected}, shown under its name), so that is what is typed.`
    : '';

/** The dialog's words for a save: disabling a rule silences it, which is what the operator must see. */
function saveRequest(rule: AlertRuleInput, decision: GuardDecision) {
  const silencing = !rule.enabled;
  return {
    payload: { kind: 'save' as const, rule },
    title: silencing ? `Disable ${rule.name}?` : `Save rule ${rule.name}?`,
    body: (silencing
      ? `A disabled rule silences what it watched: ${rule.series || 'its series'} raises no alert until the rule is enabled again, and nothing in Redis records that it is off.`
      : `${rule.stat}(${rule.series}, ${rule.windowSec} s) ${OP_TEXT[rule.op]} ${rule.threshold} raises a ${rule.severity} alert${rule.forSec ? ` after ${rule.forSec} s` : ''}.`
    ).concat(typedNote(rule.name, decision)),
    confirmLabel: silencing ? 'Disable rule' : 'Save rule',
    ...confirmationOf(decision),
  };
}

function RuleForm({
  initial,
  series,
  decide,
  busy,
  onSave,
  onCancel,
}: {
  initial: AlertRuleInput;
  series: SeriesInfo[];
  decide(rule: AlertRuleInput): GuardDecision;
  busy: boolean;
  onSave(rule: AlertRuleInput): void;
  onCancel(): void;
}) {
  const [rule, setRule] = useState(initial);
  const decision = decide(rule);
  const set = <K extends keyof AlertRuleInput>(k: K, v: AlertRuleInput[K]): void => setRule((r) => ({ ...r, [k]: v }));
  const num = (k: 'windowSec' | 'forSec' | 'threshold' | 'hysteresis') => ({
    type: 'number',
    value: String(rule[k]),
    onChange: (e: { target: { value: string } }) => set(k, Number(e.target.value)),
  });
  return (
    <form
      className="editor-section rule-form"
      data-testid="rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (decision.allowed && rule.name.trim() !== '' && rule.series !== '') onSave(rule);
      }}
    >
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

/** Rules, firing alerts with acknowledgement, and what resolved. */
export function AlertsView({ profileId, profile }: { profileId: string; profile: ProfileView }) {
  const [series, setSeries] = useState<SeriesInfo[]>([]);
  const alerts = useAlerts((s) => s.byProfile[profileId]);
  const [rules, setRules] = useState<AlertRule[]>();
  const [editing, setEditing] = useState<AlertRuleInput>();
  const [notice, setNotice] = useState<Notice>();
  const [notify, setNotify] = useState<NotifyState>(notifyState());

  // Read afresh when a form opens: a series recorded a moment ago must be there to choose.
  const loadSeries = (): void => {
    transport.call('metrics.series', { profileId }).then(setSeries, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
  };
  const loadRules = (): void => {
    transport.call('alerts.rules', { profileId }).then(setRules, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
  };
  useEffect(() => {
    loadRules();
    void useAlerts
      .getState()
      .load(profileId)
      .catch((e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profileId]);

  const ruleChange = useConfirmedAction<RuleChange>({
    perform: async (c, confirm) => {
      const typed = confirm ? { confirm } : {};
      if (c.kind === 'delete') {
        await transport.call('alerts.deleteRule', { profileId, id: c.rule.id, ...typed });
        loadRules();
        return `rule deleted: ${c.rule.name}`;
      }
      const saved = await transport.call('alerts.setRule', { profileId, rule: c.rule, ...typed });
      setEditing(undefined);
      loadRules();
      return saved.enabled ? `rule saved: ${saved.name}` : `rule disabled: ${saved.name}`;
    },
    report: setNotice,
  });
  const decideSave = (rule: AlertRuleInput) => declaredGuard('alerts.setRule', { profileId, rule }, profile);

  const ack = useConfirmedAction<AlertView>({
    perform: async (a, confirm) => {
      await transport.call('alerts.ack', { profileId, id: a.id, ...(confirm ? { confirm } : {}) });
      await useAlerts.getState().load(profileId);
      return `acknowledged: ${a.ruleName}`;
    },
    report: setNotice,
  });

  const ackButton = (a: AlertView) => {
    const decision = declaredGuard('alerts.ack', { profileId, id: a.id }, profile);
    return (
      <button
        type="button"
        className="btn btn-small"
        disabled={ack.busy || !decision.allowed}
        {...refusedProps(decision)}
        onClick={() =>
          ack.ask({
            payload: a,
            title: 'Acknowledge the alert',
            body: `${a.ruleName}: ${a.message}`,
            confirmLabel: 'Acknowledge',
            ...confirmationOf(decision),
          })
        }
      >
        Acknowledge
      </button>
    );
  };

  const ruleButtons = (r: AlertRule) => {
    const toggled = { ...r, enabled: !r.enabled };
    const toggle = decideSave(toggled);
    const remove = declaredGuard('alerts.deleteRule', { profileId, id: r.id }, profile);
    return (
      <>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            loadSeries();
            setEditing({ ...r });
          }}
        >
          Edit
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={ruleChange.busy || !toggle.allowed}
          {...refusedProps(toggle)}
          onClick={() => ruleChange.ask(saveRequest(toggled, toggle))}
        >
          {r.enabled ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost-danger"
          disabled={ruleChange.busy || !remove.allowed}
          {...refusedProps(remove)}
          onClick={() =>
            ruleChange.ask({
              payload: { kind: 'delete', rule: r },
              title: `Delete rule ${r.name}?`,
              body: `What it watched (${r.series}) raises no alert any more, and nothing in Redis records that the rule is gone.${typedNote(r.name, remove)}`,
              confirmLabel: 'Delete rule',
              ...confirmationOf(remove),
            })
          }
        >
          Delete
        </button>
      </>
    );
  };

  const firing = (alerts ?? []).filter((a) => a.state === 'firing');
  const history = (alerts ?? []).filter((a) => a.state === 'resolved');

  return (
    <div className="alerts-view" data-testid="alerts-view">
      <NoticeBar notice={notice} />
      {ack.dialog}
      {ruleChange.dialog}
      <section className="panel">
        <header className="panel-head">
          <h3>
            Firing <span className="count">{firing.length}</span>
          </h3>
          <span className="inline muted">
            desktop notifications for critical alerts: {notify}
            {notify === 'default' && (
              <button type="button" className="btn btn-small" onClick={() => void askNotifyOnce(true).then(setNotify)}>
                Allow
              </button>
            )}
          </span>
        </header>
        {firing.length === 0 ? (
          <p className="muted">No alert fires.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Alert</th>
                <th>Since</th>
                <th>Acknowledged</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {firing.map((a) => (
                <tr key={a.id} data-testid="firing-alert">
                  <td>
                    <span className={`sev sev-${a.severity}`}>{a.severity}</span>
                  </td>
                  <td>
                    <strong>{a.ruleName}</strong>
                    <div className="sub">{a.message}</div>
                  </td>
                  <td className="mono">{time(a.firedAt)}</td>
                  <td className="mono">{time(a.acknowledgedAt)}</td>
                  <td>{!a.acknowledgedAt && ackButton(a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <header className="panel-head">
          <h3>
            Rules <span className="count">{rules?.length ?? 0}</span>
          </h3>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              loadSeries();
              setEditing({ ...BLANK });
            }}
          >
            New rule
          </button>
        </header>
        {editing && (
          <RuleForm
            initial={editing}
            series={series}
            decide={decideSave}
            busy={ruleChange.busy}
            onCancel={() => setEditing(undefined)}
            onSave={(rule) => ruleChange.ask(saveRequest(rule, decideSave(rule)))}
          />
        )}
        <table className="data-table compact">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Condition</th>
              <th>For</th>
              <th>Severity</th>
              <th>Enabled</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(rules ?? []).map((r) => (
              <tr key={r.id} data-testid="alert-rule">
                <td>
                  {r.name}
                  <div className="sub mono" data-testid="alert-rule-id">
                    {r.id}
                  </div>
                </td>
                <td className="mono">
                  {r.stat}({r.series}
                  {r.tags ? ` ${JSON.stringify(r.tags)}` : ''}, {r.windowSec} s) {OP_TEXT[r.op]} {r.threshold}
                  {r.hysteresis ? ` ± ${r.hysteresis}` : ''}
                </td>
                <td className="mono">{r.forSec} s</td>
                <td>
                  <span className={`sev sev-${r.severity}`}>{r.severity}</span>
                </td>
                <td>{r.enabled ? 'yes' : 'no'}</td>
                <td className="inline">{ruleButtons(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <header className="panel-head">
          <h3>
            History <span className="count">{history.length}</span>
          </h3>
        </header>
        {history.length === 0 ? (
          <p className="muted">Nothing resolved yet.</p>
        ) : (
          <table className="data-table compact">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Alert</th>
                <th>Fired</th>
                <th>Resolved</th>
                <th>Acknowledged</th>
              </tr>
            </thead>
            <tbody>
              {history.map((a) => (
                <tr key={a.id} data-testid="resolved-alert">
                  <td>
                    <span className={`sev sev-${a.severity}`}>{a.severity}</span>
                  </td>
                  <td>
                    {a.ruleName}
                    <div className="sub">{a.message}</div>
                  </td>
                  <td className="mono">{time(a.firedAt)}</td>
                  <td className="mono">{time(a.resolvedAt)}</td>
                  <td className="mono">{time(a.acknowledgedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
