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
  const nat = Object.entries(t.natMap ?? {}).map(([from, to]) => `${from.toLowerCase()}=${hostPort(to)}`).sort();
  return `cluster ${seeds.join(',')} nat ${nat.join(',')}`;
}

function hostPort({ host, port }: HostPort): string {
  return `${host.trim().toLowerCase()}:${port}`;
}

function norm(value: string | undefined): string {
  return value?.trim() ?? '';
}
