import { useEffect, useRef, type DependencyList } from 'react';

/**
 * Calls `poll` now and every `ms` while `enabled`, and starts over when `deps` change. Views
 * poll only through this hook, so moving them to pushed updates replaces this one place.
 */
export function usePoll(poll: () => void, ms: number, deps: DependencyList, enabled = true): void {
  // The timer calls the newest `poll`, so a re-render never restarts the interval by itself.
  const latest = useRef(poll);
  useEffect(() => {
    latest.current = poll;
  });
  useEffect(() => {
    if (!enabled) return undefined;
    latest.current();
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
    // `deps` are the caller's: what the poll is about, not what it closes over.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ms, enabled, ...deps]);
}
