/**
 * The web host's session, as both ends of its WebSocket speak it (the host in src/main/hosts/web,
 * the page in src/renderer/src/transport). The why of the design is in
 * src/main/hosts/web/session-auth.ts.
 *
 * - The login URL's token is exchanged once, over HTTP, for a session secret that the host puts
 *   in the redirect's fragment (`#session=…`): a fragment is never sent to any server, so only
 *   the page of this origin reads it, keeps it in sessionStorage and drops it from the address.
 * - The first frame on a socket is `{"auth": secret}`; nothing else is read before it. The
 *   host answers with a fresh session (`{"session": {secret, expiresInMs}}`), and again on
 *   every `{"renew": true}`: the page renews before expiry, so a reload or a reconnect works.
 */

/** Where the login redirect puts the session secret: `#session=<secret>`. */
export const SESSION_FRAGMENT = 'session';

/** A socket that presented no valid session (none, unknown, expired, of an earlier run). */
export const CLOSE_UNAUTHENTICATED = 4401;
/** A socket that presented a wrong session while its client is locked out after failures. */
export const CLOSE_LOCKED_OUT = 4429;

/** The first frame a page sends: the session secret it holds. */
export interface AuthMessage {
  auth: string;
}

/** Asks for a fresh session before the one held expires. */
export interface RenewMessage {
  renew: true;
}

/** The host's answer to an auth or a renew: the secret to keep, and how long it opens a socket. */
export interface SessionMessage {
  session: { secret: string; expiresInMs: number };
}

export function isAuthMessage(value: unknown): value is AuthMessage {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).auth === 'string';
}

export function isRenewMessage(value: unknown): value is RenewMessage {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>).renew === true;
}

export function isSessionMessage(value: unknown): value is SessionMessage {
  if (typeof value !== 'object' || value === null) return false;
  const session = (value as Record<string, unknown>).session;
  if (typeof session !== 'object' || session === null) return false;
  const s = session as Record<string, unknown>;
  return typeof s.secret === 'string' && typeof s.expiresInMs === 'number' && Number.isFinite(s.expiresInMs);
}
