import { useEffect, useState } from 'react';
import { declaredGuard } from '../../../../shared/declared-guard';
import type { AlertRuleInput, AlertView } from '../../../../shared/model/metrics';
import type { ProfileView } from '../../../../shared/model/profile';
import { confirmationOf } from '../../components/declared-action';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { FiringAlerts, ResolvedAlerts } from './AlertLists';
import type { RuleChange } from './alert-rules';
import { useAlerts } from './alerts-store';
import { RulesPanel } from './RulesPanel';

const NO_SERIES: never[] = [];

/** Rules, firing alerts with acknowledgement, and what resolved. */
export function AlertsView({ profileId, profile }: { profileId: string; profile: ProfileView }) {
  const alerts = useAlerts((s) => s.byProfile[profileId]);
  const rules = useAlerts((s) => s.rules[profileId]);
  const series = useAlerts((s) => s.series[profileId] ?? NO_SERIES);
  const [editing, setEditing] = useState<AlertRuleInput>();
  const [notice, setNotice] = useState<Notice>();
  const fail = (e: unknown): void => setNotice({ kind: 'error', text: errorText(e) });
  const store = useAlerts.getState();
  const loadRules = (): void => void store.loadRules(profileId).catch(fail);

  useEffect(() => {
    loadRules();
    void useAlerts.getState().load(profileId).catch(fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profileId]);

  const ruleChange = useConfirmedAction<RuleChange>({
    perform: async (c, confirm) => {
      if (c.kind === 'delete') {
        await store.deleteRule(profileId, c.rule.id, confirm);
        loadRules();
        return `rule deleted: ${c.rule.name}`;
      }
      const saved = await store.saveRule(profileId, c.rule, confirm);
      setEditing(undefined);
      loadRules();
      return saved.enabled ? `rule saved: ${saved.name}` : `rule disabled: ${saved.name}`;
    },
    report: setNotice,
  });
  const ack = useConfirmedAction<AlertView>({
    perform: async (a, confirm) => {
      await store.ack(profileId, a.id, confirm);
      return `acknowledged: ${a.ruleName}`;
    },
    report: setNotice,
  });

  return (
    <div className="alerts-view" data-testid="alerts-view">
      <NoticeBar notice={notice} />
      {ack.dialog}
      {ruleChange.dialog}
      <FiringAlerts
        firing={(alerts ?? []).filter((a) => a.state === 'firing')}
        busy={ack.busy}
        decideAck={(a) => declaredGuard('alerts.ack', { profileId, id: a.id }, profile)}
        onAck={(a, decision) =>
          ack.ask({
            payload: a,
            title: 'Acknowledge the alert',
            body: `${a.ruleName}: ${a.message}`,
            confirmLabel: 'Acknowledge',
            ...confirmationOf(decision),
          })
        }
      />
      <RulesPanel
        profileId={profileId}
        profile={profile}
        rules={rules}
        series={series}
        onFormOpen={() => void store.loadSeries(profileId).catch(fail)}
        editing={editing}
        onEditing={setEditing}
        change={ruleChange}
      />
      <ResolvedAlerts history={(alerts ?? []).filter((a) => a.state === 'resolved')} />
    </div>
  );
}
