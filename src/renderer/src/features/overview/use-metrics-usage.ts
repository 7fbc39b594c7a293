import { useCallback, useEffect, useState } from 'react';
import type { MetricsUsage } from '../../../../shared/model/metrics';
import { errorText } from '../../components/notice';
import { transport } from '../../transport';

/**
 * A profile's `metrics.usage`: read when asked, not polled, since it SCANs the target's
 * metric keys on every master, which an operator console must not do every few seconds.
 */
export function useMetricsUsage(profileId: string): { usage?: MetricsUsage; error?: string; loading: boolean; refresh(): void } {
  const [state, setState] = useState<{ usage?: MetricsUsage; error?: string; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    transport.call('metrics.usage', { profileId }).then(
      (usage) => live && setState({ usage, loading: false }),
      (e: unknown) => live && setState({ error: errorText(e), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [profileId, round]);
  const refresh = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    setRound((n) => n + 1);
  }, []);
  return { ...state, refresh };
}
