import { useState, type ReactNode } from 'react';
import { SwarmdeckError, type FieldError } from '../../../shared/errors';
import { ENVIRONMENTS } from '../../../shared/model/profile';
import type { ConnectionTestResult } from '../../../shared/model/health';
import { transport } from '../transport';
import { useProfiles } from '../stores/profiles-store';
import { errorFor, toProfileInput, type ProfileForm } from './profile-form-model';
import { TestResultView } from './TestResultView';

/** Give it a `key` per profile: a new key starts a fresh form. */
interface Props {
  initial: ProfileForm;
  onSaved(id: string): void;
  onCancel(): void;
}

function Field({ label, path, errors, children, hint }: { label: string; path: string; errors: FieldError[]; children: ReactNode; hint?: string }) {
  const error = errorFor(errors, path);
  return (
    <label className={`field${error ? ' has-error' : ''}`} data-field={path}>
      <span>{label}</span>
      {children}
      {error ? <em className="field-error" role="alert">{error}</em> : hint ? <small>{hint}</small> : null}
    </label>
  );
}

export function ProfileEditor({ initial, onSaved, onCancel }: Props) {
  const [form, setForm] = useState<ProfileForm>(initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [test, setTest] = useState<ConnectionTestResult | undefined>();
  const [testing, setTesting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const save = useProfiles((s) => s.save);

  const set = <K extends keyof ProfileForm>(key: K, value: ProfileForm[K]): void => setForm((f) => ({ ...f, [key]: value }));

  const validated = () => {
    const result = toProfileInput(form);
    if (!result.ok) {
      setErrors(result.errors);
      setMessage(`${result.errors.length} field${result.errors.length === 1 ? '' : 's'} need${result.errors.length === 1 ? 's' : ''} attention`);
      return undefined;
    }
    setErrors([]);
    setMessage(undefined);
    return result.input;
  };

  const showError = (error: unknown): void => {
    if (error instanceof SwarmdeckError) {
      setErrors(error.details?.fields ?? []);
      setMessage(error.message);
    } else setMessage(String(error));
  };

  const runTest = async (): Promise<void> => {
    const input = validated();
    if (!input) return;
    setTesting(true);
    setTest(undefined);
    try {
      const usesTyped = form.passwordAction === 'set' && form.password !== '';
      setTest(
        await transport.call('profiles.test', {
          profile: input,
          ...(usesTyped ? { password: form.password } : {}),
          ...(!usesTyped && form.id && form.passwordAction === 'keep' ? { storedPasswordOf: form.id } : {}),
        }),
      );
    } catch (error) {
      showError(error);
    } finally {
      setTesting(false);
    }
  };

  const submit = async (): Promise<void> => {
    const input = validated();
    if (!input) return;
    setSaving(true);
    try {
      const password =
        form.passwordAction === 'clear' ? null : form.passwordAction === 'set' && form.password !== '' ? form.password : undefined;
      const saved = await save({ profile: input, ...(password !== undefined ? { password } : {}) });
      onSaved(saved.id);
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="editor" onSubmit={(e) => (e.preventDefault(), void submit())} noValidate aria-label="Profile editor">
      <header className="editor-head">
        <h2>{form.id ? `Edit ${initial.name}` : 'New connection profile'}</h2>
        {form.environment === 'production' && <span className="prod-note">Production: destructive actions need typed confirmation</span>}
      </header>

      <section className="editor-section">
        <h4>Identity</h4>
        <div className="grid-2">
          <Field label="Name" path="name" errors={errors}>
            <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="prod-eu cluster" aria-label="Name" />
          </Field>
          <Field label="Environment" path="environment" errors={errors}>
            <div className="segmented" role="radiogroup" aria-label="Environment">
              {ENVIRONMENTS.map((env) => (
                <button type="button" key={env} role="radio" aria-label={env} aria-checked={form.environment === env} className={`seg env-${env}${form.environment === env ? ' on' : ''}`} onClick={() => set('environment', env)}>
                  {env}
                </button>
              ))}
            </div>
          </Field>
        </div>
      </section>

      <section className="editor-section">
        <h4>Topology</h4>
        <div className="segmented" role="radiogroup" aria-label="Topology">
          {(['standalone', 'cluster'] as const).map((kind) => (
            <button type="button" key={kind} role="radio" aria-label={kind === 'standalone' ? 'Standalone' : 'Redis Cluster'} aria-checked={form.kind === kind} className={`seg${form.kind === kind ? ' on' : ''}`} onClick={() => set('kind', kind)}>
              {kind === 'standalone' ? 'Standalone' : 'Redis Cluster'}
            </button>
          ))}
        </div>
        {form.kind === 'standalone' ? (
          <div className="grid-3">
            <Field label="Host" path="topology.host" errors={errors}>
              <input value={form.host} onChange={(e) => set('host', e.target.value)} aria-label="Host" />
            </Field>
            <Field label="Port" path="topology.port" errors={errors}>
              <input value={form.port} onChange={(e) => set('port', e.target.value)} inputMode="numeric" aria-label="Port" />
            </Field>
            <Field label="Database" path="topology.db" errors={errors}>
              <input value={form.db} onChange={(e) => set('db', e.target.value)} inputMode="numeric" aria-label="Database" />
            </Field>
          </div>
        ) : (
          <div className="grid-2">
            <Field label="Seed nodes" path="topology.seeds" errors={errors} hint="host:port, one per line; the other nodes are discovered">
              <textarea rows={3} value={form.seeds} onChange={(e) => set('seeds', e.target.value)} placeholder="10.0.0.5:6379" aria-label="Seed nodes" />
            </Field>
            <Field label="NAT map (optional)" path="topology.natMap" errors={errors} hint="announced:port=reachable:port, one per line">
              <textarea rows={3} value={form.natMap} onChange={(e) => set('natMap', e.target.value)} placeholder="172.18.0.2:6379=127.0.0.1:7001" aria-label="NAT map" />
            </Field>
          </div>
        )}
      </section>

      <section className="editor-section">
        <h4>Authentication</h4>
        <div className="grid-2">
          <Field label="ACL username" path="username" errors={errors} hint="empty for the default user">
            <input value={form.username} onChange={(e) => set('username', e.target.value)} autoComplete="off" aria-label="ACL username" />
          </Field>
          <Field label="Password" path="password" errors={errors} hint={form.hasPassword ? 'a password is stored in the OS keychain' : 'kept in main, never shown again'}>
            {form.hasPassword && form.passwordAction !== 'set' ? (
              <div className="inline">
                <span className={`stored${form.passwordAction === 'clear' ? ' cleared' : ''}`}>{form.passwordAction === 'clear' ? 'will be removed' : '•••••••• stored'}</span>
                <button type="button" className="btn btn-small" onClick={() => setForm((f) => ({ ...f, passwordAction: 'set', password: '' }))}>Change</button>
                <button type="button" className="btn btn-small" onClick={() => set('passwordAction', form.passwordAction === 'clear' ? 'keep' : 'clear')}>{form.passwordAction === 'clear' ? 'Keep' : 'Remove'}</button>
              </div>
            ) : (
              <input type="password" value={form.password} onChange={(e) => setForm((f) => ({ ...f, password: e.target.value, passwordAction: 'set' }))} autoComplete="new-password" aria-label="Password" />
            )}
          </Field>
        </div>
      </section>

      <section className="editor-section">
        <h4>
          <label className="toggle">
            <input type="checkbox" checked={form.tlsEnabled} onChange={(e) => set('tlsEnabled', e.target.checked)} aria-label="TLS" /> TLS
          </label>
        </h4>
        {form.tlsEnabled && (
          <>
            <div className="grid-2">
              <Field label="CA certificate file" path="tls.caFile" errors={errors} hint="PEM; empty for the system CAs">
                <input value={form.caFile} onChange={(e) => set('caFile', e.target.value)} placeholder="/etc/redis/ca.crt" aria-label="CA file" />
              </Field>
              <Field label="Server name (SNI)" path="tls.servername" errors={errors}>
                <input value={form.servername} onChange={(e) => set('servername', e.target.value)} aria-label="Server name" />
              </Field>
              <Field label="Client certificate file" path="tls.certFile" errors={errors}>
                <input value={form.certFile} onChange={(e) => set('certFile', e.target.value)} aria-label="Client certificate" />
              </Field>
              <Field label="Client key file" path="tls.keyFile" errors={errors}>
                <input value={form.keyFile} onChange={(e) => set('keyFile', e.target.value)} aria-label="Client key" />
              </Field>
            </div>
            <label className={`toggle${form.verify ? '' : ' warn'}`}>
              <input type="checkbox" checked={form.verify} onChange={(e) => set('verify', e.target.checked)} aria-label="Verify certificates" /> Verify the server certificate
              {!form.verify && <strong> — off: anyone on the path can impersonate this server</strong>}
            </label>
          </>
        )}
      </section>

      <section className="editor-section">
        <h4>Behaviour</h4>
        <div className="grid-3">
          <Field label="Key prefix" path="keyPrefix" errors={errors} hint="coordination keys start with this">
            <input value={form.keyPrefix} onChange={(e) => set('keyPrefix', e.target.value)} aria-label="Key prefix" />
          </Field>
          <Field label="Connect timeout (ms)" path="connectTimeoutMs" errors={errors}>
            <input value={form.connectTimeoutMs} onChange={(e) => set('connectTimeoutMs', e.target.value)} inputMode="numeric" aria-label="Connect timeout" />
          </Field>
          <Field label="Command timeout (ms)" path="commandTimeoutMs" errors={errors}>
            <input value={form.commandTimeoutMs} onChange={(e) => set('commandTimeoutMs', e.target.value)} inputMode="numeric" aria-label="Command timeout" />
          </Field>
        </div>
        <label className="toggle">
          <input type="checkbox" checked={form.readOnly} onChange={(e) => set('readOnly', e.target.checked)} aria-label="Read-only" /> Read-only — every write command is refused in the main process
        </label>
      </section>

      {message && <div className="form-message" role="status">{message}</div>}
      {test && <TestResultView result={test} />}

      <footer className="editor-actions">
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void runTest()} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save profile'}
        </button>
      </footer>
    </form>
  );
}
