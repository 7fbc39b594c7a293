import { SwarmdeckError } from '../../../shared/errors';
import { defaultProfileInput, ProfileInputSchema, type HostPort, type Profile } from '../../../shared/model/profile';
import { validationError } from '../../../shared/validation';

export interface AdHocOptions {
  /** `redis://[user@]host:port[/db]`, or `rediss://` for TLS. */
  url?: string;
  /** `host:port[,host:port…]` seeds of a cluster. */
  cluster?: string;
  username?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** Turns certificate verification off, explicitly. */
  insecure?: boolean;
  prefix?: string;
  readOnly?: boolean;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  name?: string;
}

function hostPort(text: string): HostPort {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text.trim());
  if (!m) throw new SwarmdeckError('VALIDATION', `"${text}" is not host:port`);
  return { host: m[1] as string, port: Number(m[2]) };
}

/** Builds an unsaved profile from connection flags, validated like a stored one. */
export function adHocProfile(options: AdHocOptions): Profile {
  if (!options.url === !options.cluster) {
    throw new SwarmdeckError('VALIDATION', 'Give exactly one of --url or --cluster (or --profile)');
  }
  const base = defaultProfileInput();
  let tlsFromScheme = false;
  let username = options.username;
  let topology = base.topology;
  if (options.url) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new SwarmdeckError('VALIDATION', `"${options.url}" is not a URL like redis://host:6379/0`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new SwarmdeckError('VALIDATION', `Unsupported scheme "${url.protocol}"; use redis:// or rediss://`);
    }
    if (url.password) {
      throw new SwarmdeckError('VALIDATION', 'Do not put a password in the URL; use --password-env VAR');
    }
    tlsFromScheme = url.protocol === 'rediss:';
    username = username ?? (url.username ? decodeURIComponent(url.username) : undefined);
    const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
    topology = { kind: 'standalone', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379), db };
  } else if (options.cluster) {
    topology = { kind: 'cluster', seeds: options.cluster.split(',').filter(Boolean).map(hostPort) };
  }
  const tlsEnabled = tlsFromScheme || Boolean(options.tlsCa || options.tlsCert || options.tlsKey || options.insecure);
  const candidate = {
    ...base,
    name: options.name ?? 'ad hoc',
    topology,
    ...(username ? { username } : {}),
    tls: {
      enabled: tlsEnabled,
      verify: !options.insecure,
      ...(options.tlsCa ? { caFile: options.tlsCa } : {}),
      ...(options.tlsCert ? { certFile: options.tlsCert } : {}),
      ...(options.tlsKey ? { keyFile: options.tlsKey } : {}),
    },
    keyPrefix: options.prefix ?? base.keyPrefix,
    readOnly: options.readOnly ?? false,
    connectTimeoutMs: options.connectTimeoutMs ?? base.connectTimeoutMs,
    commandTimeoutMs: options.commandTimeoutMs ?? base.commandTimeoutMs,
  };
  const parsed = ProfileInputSchema.safeParse(candidate);
  if (!parsed.success) throw validationError(parsed.error, 'The connection flags are not valid');
  const now = new Date().toISOString();
  return { ...parsed.data, id: 'ad-hoc', createdAt: now, updatedAt: now };
}
