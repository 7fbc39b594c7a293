import { useUi } from '../app/ui-store';

/** What a page that needs a live connection shows without one. */
export function NoConnection({ hint }: { hint: string }) {
  const go = useUi((s) => s.go);
  return (
    <div className="page empty-page">
      <h2>No live connection</h2>
      <p className="muted">{hint}</p>
      <button type="button" className="btn btn-primary" onClick={() => go('connections')}>Go to connections</button>
    </div>
  );
}
