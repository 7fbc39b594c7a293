import { declaredGuard } from '../../../../shared/declared-guard';
import type { GuardDecision } from '../../../../shared/guards';
import type { AlertRule, AlertRuleInput, SeriesInfo } from '../../../../shared/model/metrics';
import type { ProfileView } from '../../../../shared/model/profile';
import { refusedProps } from '../../components/guard-button';
import type { ConfirmedAction } from '../../components/use-confirmed-action';
import { BLANK_RULE, deleteRequest, OP_TEXT, saveRequest, type RuleChange } from './alert-rules';
import { RuleForm } from './RuleForm';

interface Props {
  profileId: string;
  profile: ProfileView;
  rules: AlertRule[] | undefined;
  series: SeriesInfo[];
  /** Read afresh when a form opens: a series recorded a moment ago must be there to choose. */
  onFormOpen(): void;
  /** The rule being edited (or a new one); undefined when no form is open. */
  editing: AlertRuleInput | undefined;
  onEditing(rule: AlertRuleInput | undefined): void;
  change: ConfirmedAction<RuleChange>;
}

/** The alert rules with their condition, and the form that makes or edits one. */
export function RulesPanel({ profileId, profile, rules, series, onFormOpen, editing, onEditing, change }: Props) {
  const decideSave = (rule: AlertRuleInput) => declaredGuard('alerts.setRule', { profileId, rule }, profile);
  const open = (rule: AlertRuleInput): void => {
    onFormOpen();
    onEditing(rule);
  };
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>
          Rules <span className="count">{rules?.length ?? 0}</span>
        </h3>
        <button type="button" className="btn btn-small" onClick={() => open({ ...BLANK_RULE })}>
          New rule
        </button>
      </header>
      {editing && (
        <RuleForm
          initial={editing}
          series={series}
          decide={decideSave}
          busy={change.busy}
          onCancel={() => onEditing(undefined)}
          onSave={(rule) => change.ask(saveRequest(rule, decideSave(rule)))}
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
              <td className="inline">
                <RuleButtons
                  rule={r}
                  decideSave={decideSave}
                  remove={declaredGuard('alerts.deleteRule', { profileId, id: r.id }, profile)}
                  onEdit={() => open({ ...r })}
                  change={change}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface ButtonsProps {
  rule: AlertRule;
  decideSave(rule: AlertRuleInput): GuardDecision;
  remove: GuardDecision;
  onEdit(): void;
  change: ConfirmedAction<RuleChange>;
}

function RuleButtons({ rule, decideSave, remove, onEdit, change }: ButtonsProps) {
  const toggled = { ...rule, enabled: !rule.enabled };
  const toggle = decideSave(toggled);
  return (
    <>
      <button type="button" className="btn btn-small" onClick={onEdit}>
        Edit
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={change.busy || !toggle.allowed}
        {...refusedProps(toggle)}
        onClick={() => change.ask(saveRequest(toggled, toggle))}
      >
        {rule.enabled ? 'Disable' : 'Enable'}
      </button>
      <button
        type="button"
        className="btn btn-small btn-ghost-danger"
        disabled={change.busy || !remove.allowed}
        {...refusedProps(remove)}
        onClick={() => change.ask(deleteRequest(rule, remove))}
      >
        Delete
      </button>
    </>
  );
}
