import type { StateVersion } from '../../../../shared/contract/state';
import { lineDiff } from './line-diff';

/** The newest version against an older one the operator picks, line by line. */
export function StateVersions({ history, against, onAgainst }: { history: StateVersion[]; against: number; onAgainst(i: number): void }) {
  const current = history[0];
  const older = history[Math.min(against, history.length - 1)];
  const diff = current && older && older !== current ? lineDiff(older.value, current.value) : undefined;
  return (
    <>
      <label className="state-compare">
        Compare with{' '}
        <select className="input" value={against} onChange={(e) => onAgainst(Number(e.target.value))}>
          {history.slice(1).map((v, i) => (
            <option key={v.version} value={i + 1}>
              version {v.version} ({v.source || 'unknown'})
            </option>
          ))}
        </select>
      </label>
      <pre className="mono state-diff" data-testid="state-diff">
        {diff?.map((line, i) => (
          <div key={i} className={`diff-${line.kind}`}>
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
            {line.text}
          </div>
        ))}
      </pre>
    </>
  );
}
