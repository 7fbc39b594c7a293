import { SwarmdeckError, type ErrorCode } from '../../shared/errors';

interface Described {
  code: ErrorCode;
  message: string;
}

const TLS_REASONS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by the configured CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is not signed by the configured CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate chain ends in a CA that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not name this host',
};

/** Turns whatever a socket, TLS or Redis threw into one sentence an operator can act on. */
export function describeRedisError(error: unknown, where: string): Described {
  if (error instanceof SwarmdeckError) return { code: error.code, message: error.message };
  const e = error as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  const text = e instanceof Error ? e.message : String(error);
  if (code in TLS_REASONS) {
    return { code: 'TLS_FAILED', message: `TLS to ${where} failed: ${TLS_REASONS[code]} (${code})` };
  }
  if (/WRONGPASS|invalid username-password/i.test(text)) {
    return { code: 'AUTH_FAILED', message: `${where} rejected the username or password` };
  }
  if (/NOAUTH|Authentication required/i.test(text)) {
    return { code: 'AUTH_FAILED', message: `${where} requires a password and none was given` };
  }
  if (/NOPERM/i.test(text)) {
    return { code: 'AUTH_FAILED', message: `The ACL user has no permission for this at ${where}: ${text}` };
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'DNS_FAILED', message: `The host name of ${where} does not resolve (${code})` };
    case 'ECONNREFUSED':
      return { code: 'TCP_FAILED', message: `Nothing is listening at ${where} (connection refused)` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: 'TCP_FAILED', message: `${where} is unreachable from this machine (${code})` };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        code: 'TCP_FAILED',
        message: `${where} closed the connection (${code}); if the server expects TLS, turn TLS on`,
      };
    case 'ETIMEDOUT':
      return { code: 'TIMEOUT', message: `No answer from ${where} within the connect timeout` };
    default:
      break;
  }
  if (/Connection is closed|Stream isn't writeable|Reached the max retries per request/i.test(text)) {
    return {
      code: 'DISCONNECTED',
      message: `The connection to ${where} is closed; Swarmdeck reconnects by itself when the server is back — if it stays down, check the server and reconnect from Connections`,
    };
  }
  if (/timed? ?out/i.test(text)) {
    return {
      code: 'TIMEOUT',
      message: `${where} did not answer within the command timeout; the server may be blocked or overloaded (see its SLOWLOG and LATENCY), or the profile's command timeout is too short`,
    };
  }
  if (/CLUSTERDOWN|None of startup nodes|Failed to refresh slots cache/i.test(text)) {
    return { code: 'CLUSTER_FAILED', message: `The cluster at ${where} is not usable: ${text}` };
  }
  return { code: 'REDIS_ERROR', message: `${where}: ${text}` };
}

export function toSwarmdeckError(error: unknown, where: string): SwarmdeckError {
  if (error instanceof SwarmdeckError) return error;
  const d = describeRedisError(error, where);
  return new SwarmdeckError(d.code, d.message);
}
