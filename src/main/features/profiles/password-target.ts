import type { HostPort, ProfileInput } from '../../../shared/model/profile';

/**
 * What a stored password was entrusted to: where it is sent and who may read it on the way.
 * Lists what `candidate` changes of that, so a stored password is never replayed to a host,
 * user or TLS identity the operator did not store it for.
 */
export function passwordTargetChanges(stored: ProfileInput, candidate: ProfileInput): string[] {
  const changes: string[] = [];
  if (addresses(stored) !== addresses(candidate)) changes.push('address');
  if (stored.tls.enabled !== candidate.tls.enabled) changes.push('TLS');
  if (norm(stored.tls.servername) !== norm(candidate.tls.servername)) changes.push('TLS server name');
  // Turning verification off lets anyone on the path pose as the server; turning it on is harmless.
  if (stored.tls.verify && !candidate.tls.verify) changes.push('certificate verification');
  // Another CA lets whoever holds it pose as the server, verification on or not.
  if (stored.tls.enabled && norm(stored.tls.caFile) !== norm(candidate.tls.caFile)) changes.push('TLS CA');
  if (norm(stored.username) !== norm(candidate.username)) changes.push('username');
  return changes;
}

function addresses(profile: ProfileInput): string {
  const t = profile.topology;
  if (t.kind === 'standalone') return `standalone ${hostPort(t)}`;
  const seeds = [...new Set(t.seeds.map(hostPort))].sort();
  // The NAT map decides where cluster nodes are really reached, so it is part of the address.
  const nat = Object.entries(t.natMap ?? {})
    .map(([from, to]) => `${from.toLowerCase()}=${hostPort(to)}`)
    .sort();
  return `cluster ${seeds.join(',')} nat ${nat.join(',')}`;
}

function hostPort({ host, port }: HostPort): string {
  return `${host.trim().toLowerCase()}:${port}`;
}

function norm(value: string | undefined): string {
  return value?.trim() ?? '';
}

/** An address a password from the environment may be sent to; `tls`: over verified TLS only. */
export interface AllowedAddress {
  host: string;
  port: number;
  tls: boolean;
}

/**
 * `[rediss://]host:port[,…]` (IPv6 in brackets), or undefined when malformed. `rediss://` asks
 * for TLS with certificate verification on that address; `redis://` or none asks for neither.
 */
export function parseAllowedAddresses(raw: string): AllowedAddress[] | undefined {
  const entries = raw.split(',').map((e) => e.trim());
  const parsed: AllowedAddress[] = [];
  for (const entry of entries) {
    const m = /^(?:(rediss?):\/\/)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(entry);
    const port = Number(m?.[3]);
    if (!m?.[2] || !(port >= 1 && port <= 65_535)) return undefined;
    parsed.push({ host: bare(m[2]), port, tls: m[1] === 'rediss' });
  }
  return parsed;
}

/**
 * What of `profile` lies outside `allowed`, in the operator's words; empty when all of it is
 * inside. The addresses are the ones a stored password is bound to too: the server, or a
 * cluster's seeds and NAT destinations (the nodes the seeds announce are reached from there).
 */
export function outsideAllowed(profile: ProfileInput, allowed: AllowedAddress[]): string[] {
  const t = profile.topology;
  const reached = t.kind === 'standalone' ? [t] : [...t.seeds, ...Object.values(t.natMap ?? {})];
  const problems: string[] = [];
  for (const address of reached) {
    const shown = hostPort(address);
    const match = allowed.find((a) => `${a.host}:${a.port}` === `${bare(address.host)}:${address.port}`);
    if (!match) problems.push(`${shown} is not among them`);
    else if (match.tls && !profile.tls.enabled) problems.push(`${shown} is reached without TLS`);
    else if (match.tls && !profile.tls.verify) problems.push(`${shown} is reached without certificate verification`);
  }
  return [...new Set(problems)];
}

/** Lower case, without the brackets of an IPv6 literal: the form two spellings are compared in. */
function bare(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
}
