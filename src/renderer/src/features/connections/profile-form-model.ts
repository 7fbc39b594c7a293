import type { FieldError } from '../../../../shared/errors';
import { ProfileInputSchema, type Environment, type ProfileInput, type ProfileView } from '../../../../shared/model/profile';

/** The editor's fields as typed: strings until validated, so nothing the operator types is lost. */
export interface ProfileForm {
  id?: string;
  name: string;
  environment: Environment;
  kind: 'standalone' | 'cluster';
  host: string;
  port: string;
  db: string;
  seeds: string;
  natMap: string;
  username: string;
  password: string;
  /** keep the stored password, replace it with `password`, or remove it */
  passwordAction: 'keep' | 'set' | 'clear';
  tlsEnabled: boolean;
  caFile: string;
  certFile: string;
  keyFile: string;
  servername: string;
  verify: boolean;
  keyPrefix: string;
  readOnly: boolean;
  recordMetrics: boolean;
  connectTimeoutMs: string;
  commandTimeoutMs: string;
  hasPassword: boolean;
  sandbox?: boolean;
}

export function emptyForm(): ProfileForm {
  return {
    name: '',
    environment: 'development',
    kind: 'standalone',
    host: '127.0.0.1',
    port: '6379',
    db: '0',
    seeds: '',
    natMap: '',
    username: '',
    password: '',
    passwordAction: 'set',
    tlsEnabled: false,
    caFile: '',
    certFile: '',
    keyFile: '',
    servername: '',
    verify: true,
    keyPrefix: 'sd',
    readOnly: false,
    recordMetrics: true,
    connectTimeoutMs: '5000',
    commandTimeoutMs: '10000',
    hasPassword: false,
  };
}

export function formFromProfile(p: ProfileView): ProfileForm {
  const t = p.topology;
  return {
    ...emptyForm(),
    id: p.id,
    name: p.name,
    environment: p.environment,
    kind: t.kind,
    host: t.kind === 'standalone' ? t.host : '',
    port: t.kind === 'standalone' ? String(t.port) : '',
    db: t.kind === 'standalone' ? String(t.db) : '0',
    seeds: t.kind === 'cluster' ? t.seeds.map((s) => `${s.host}:${s.port}`).join('\n') : '',
    natMap:
      t.kind === 'cluster' && t.natMap
        ? Object.entries(t.natMap)
            .map(([from, to]) => `${from}=${to.host}:${to.port}`)
            .join('\n')
        : '',
    username: p.username ?? '',
    passwordAction: 'keep',
    tlsEnabled: p.tls.enabled,
    caFile: p.tls.caFile ?? '',
    certFile: p.tls.certFile ?? '',
    keyFile: p.tls.keyFile ?? '',
    servername: p.tls.servername ?? '',
    verify: p.tls.verify,
    keyPrefix: p.keyPrefix,
    readOnly: p.readOnly,
    recordMetrics: p.recordMetrics !== false,
    connectTimeoutMs: String(p.connectTimeoutMs),
    commandTimeoutMs: String(p.commandTimeoutMs),
    hasPassword: p.hasPassword,
    sandbox: p.sandbox,
  };
}

const numberOrNaN = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]\s]+?)\]?:(\d+)$/.exec(text.trim());
  return m ? { host: m[1] as string, port: Number(m[2]) } : undefined;
}

export type FormResult = { ok: true; input: ProfileInput } | { ok: false; errors: FieldError[] };

/** Validates with the very schema main enforces, so the form and the API never disagree. */
export function toProfileInput(form: ProfileForm): FormResult {
  const errors: FieldError[] = [];
  let topology: unknown;
  if (form.kind === 'standalone') {
    topology = { kind: 'standalone', host: form.host, port: numberOrNaN(form.port), db: numberOrNaN(form.db) };
  } else {
    const entries = form.seeds.split(/[\s,]+/).filter(Boolean);
    const seeds = entries.map((entry) => {
      const parsed = parseHostPort(entry);
      if (!parsed) errors.push({ path: 'topology.seeds', message: `"${entry}" is not host:port` });
      return parsed;
    });
    const natEntries = form.natMap
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const natMap: Record<string, { host: string; port: number }> = {};
    for (const line of natEntries) {
      const [from, to] = line.split('=');
      const target = to ? parseHostPort(to) : undefined;
      if (!from || !target) errors.push({ path: 'topology.natMap', message: `"${line}" is not announced:port=reachable:port` });
      else natMap[from.trim()] = target;
    }
    topology = { kind: 'cluster', seeds: seeds.filter(Boolean), ...(natEntries.length ? { natMap } : {}) };
  }
  const candidate = {
    ...(form.id ? { id: form.id } : {}),
    name: form.name,
    environment: form.environment,
    topology,
    ...(optional(form.username) ? { username: optional(form.username) } : {}),
    tls: {
      enabled: form.tlsEnabled,
      verify: form.verify,
      ...(optional(form.caFile) ? { caFile: optional(form.caFile) } : {}),
      ...(optional(form.certFile) ? { certFile: optional(form.certFile) } : {}),
      ...(optional(form.keyFile) ? { keyFile: optional(form.keyFile) } : {}),
      ...(optional(form.servername) ? { servername: optional(form.servername) } : {}),
    },
    keyPrefix: form.keyPrefix,
    readOnly: form.readOnly,
    // Absent means on: only the choice to switch it off is stored.
    ...(form.recordMetrics ? {} : { recordMetrics: false }),
    connectTimeoutMs: numberOrNaN(form.connectTimeoutMs),
    commandTimeoutMs: numberOrNaN(form.commandTimeoutMs),
    ...(form.sandbox ? { sandbox: true } : {}),
  };
  const parsed = ProfileInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push({ path: issue.path.map(String).join('.'), message: issue.message });
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}

export function errorFor(errors: FieldError[], path: string): string | undefined {
  return errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
}
