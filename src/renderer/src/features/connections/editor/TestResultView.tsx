import type { ConnectionTestResult } from '../../../../../shared/model/health';

const LABEL = { dns: 'DNS', tcp: 'TCP', tls: 'TLS', auth: 'AUTH', cluster: 'Cluster' } as const;

export function TestResultView({ result }: { result: ConnectionTestResult }) {
  return (
    <div className={`test-result ${result.ok ? 'ok' : 'failed'}`} data-testid="test-result">
      <div className="test-head">{result.ok ? 'Connection works' : 'Connection failed'}</div>
      <ol>
        {result.steps.map((s) => (
          <li key={s.step} className={s.ok ? 'ok' : 'failed'}>
            <span className="step-mark">{s.ok ? '✓' : '✕'}</span>
            <span className="step-name">{LABEL[s.step]}</span>
            <span className="step-msg">{s.message}</span>
            <span className="step-ms">{s.ms.toFixed(1)} ms</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
