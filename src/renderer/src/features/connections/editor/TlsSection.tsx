import { Field, type SectionProps } from './Field';

/** TLS files and verification; turning verification off is spelled out as the risk it is. */
export function TlsSection({ form, errors, set }: SectionProps) {
  return (
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
              <input
                value={form.caFile}
                onChange={(e) => set('caFile', e.target.value)}
                placeholder="/etc/redis/ca.crt"
                aria-label="CA file"
              />
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
            <input
              type="checkbox"
              checked={form.verify}
              onChange={(e) => set('verify', e.target.checked)}
              aria-label="Verify certificates"
            />{' '}
            Verify the server certificate
            {!form.verify && <strong> — off: anyone on the path can impersonate this server</strong>}
          </label>
        </>
      )}
    </section>
  );
}
