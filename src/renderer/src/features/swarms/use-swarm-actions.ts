import type { ProfileView } from '../../../../shared/model/profile';
import type { SwarmDetail } from '../../../../shared/model/swarm';
import type { Notice } from '../../components/notice';
import { useConfirmedAction, type ConfirmedAction } from '../../components/use-confirmed-action';
import type { SwarmAction } from './swarm-action';
import { useSwarms } from './swarms-store';

/** The operator's confirmed actions on the open swarm, each reported in main's own words. */
export function useSwarmActions(
  profile: ProfileView,
  detail: SwarmDetail | undefined,
  { removed, report }: { removed(): void; report(n: Notice): void },
): ConfirmedAction<SwarmAction> {
  const production = profile.environment === 'production';
  return useConfirmedAction<SwarmAction>({
    typedName: () => (production ? detail?.id : undefined),
    perform: async (p, confirm) => {
      const done = await useSwarms
        .getState()
        .act(profile.id, p.action, { ...(p.agentId ? { agentId: p.agentId } : {}), ...(confirm ? { confirm } : {}) });
      if (p.action === 'removeAgent') removed();
      // Main says what happened ("paused", "removed a-1", "stepped down a-1"): a sentence, not "Pause: paused".
      const said = `${done.charAt(0).toUpperCase()}${done.slice(1)}`;
      return p.action === 'removeAgent' ? said : p.action === 'stepDown' ? `${said} as leader` : `Swarm ${detail?.id ?? ''} is now ${done}`;
    },
    report,
  });
}
