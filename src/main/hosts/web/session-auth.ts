import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CLOSE_LOCKED_OUT, CLOSE_UNAUTHENTICATED, isAuthMessage, SESSION_FRAGMENT } from '../../../shared/web-session';

/*
 * Who may open the web host's API, and why another page or another local process cannot.
 *
 * Three secrets, each opening one thing only:
 * - the login token, in the URL the host prints. `GET /?token=…` exchanges it for a session; it
 *   expires (`loginTtlMs`), and a fresh URL is printed then, or on request (SIGUSR2 to serve).
 * - a session secret, `s1.<run>.<expiry>.<nonce>.<HMAC(sessionKey, …)>`. It opens the WebSocket,
 *   sent as the socket's first frame, and nothing else; it expires (`sessionTtlMs`) unless the
 *   page renews it over its open socket. It reaches the page in the login redirect's fragment.
 * - the static cookie, `HMAC(staticKey, "static-files|127.0.0.1:<port>")`. It opens the built
 *   renderer's files and nothing else: the socket reads no cookie at all.
 *
 * As a page on another loopback port (same site, another origin):
 * - Cookies are scoped by host, not port, so that page's own server receives our cookie. What it
 *   receives is the static cookie: a MAC that the socket never reads and the login never takes,
 *   from which no session can be made (the two keys are separate, random, and never sent). It
 *   opens the renderer's bundle, which holds no secret.
 * - The session secret lives in this origin's sessionStorage (scheme, host AND port), which the
 *   browser gives to no other origin, and it arrived in a URL fragment, which no browser sends to
 *   any server. A browser adds nothing to a WebSocket by itself but cookies, and those open
 *   nothing here: the secret must be written into the first frame by code that holds it.
 * - Its own socket to /ws carries its Origin and is refused before a frame is read. Nor can it
 *   spend the operator's failure budget: a login request a page causes (a navigation, an <img>,
 *   a fetch: `Sec-Fetch-Site` other than "none") is refused before the token is looked at.
 * As a raw TCP client (any local process; it forges Origin, Host, any header):
 * - It must present a session secret, and has none: it cannot read the operator's
 *   sessionStorage, and the cookie it can steal opens nothing. It can only guess. A session's
 *   MAC is 256 bits; the login token may be short (SWARMDECK_TOKEN), and is what the failure
 *   limit below protects. Both are compared in constant time (HMACs and SHA-256 digests through
 *   timingSafeEqual, never the given string against the secret).
 *
 * A client, for the failure limit, is its remote address, with all of 127.0.0.0/8 and ::1 as
 * one client: the host listens on 127.0.0.1 only, and any local process can choose any 127.x.y.z
 * source address, so counting per loopback address would hand an attacker 16 million budgets.
 * On loopback the limit is therefore global: 5 failures within 15 minutes lock out logins from
 * this machine for 15 minutes (HTTP 429 with Retry-After; a wrong session gets close 4429). So a
 * local process can hold off the operator's *new* logins for as long as it keeps failing; it
 * cannot sign out the operator's open tabs: a valid session is accepted even during a lockout (256
 * random bits need no rate limit; the lockout guards the login token, which may be short), and a
 * tab renews over its open socket. Nothing an honest tab does counts as a failure: no credential
 * at all, a session this run issued that has expired, a session of an earlier run (a restart),
 * a login URL that has expired. The operator recovers from a lockout by waiting it out or by
 * restarting the host: the counters live in memory, and the restart prints a new login URL.
 */

export interface AuthLimits {
  /** How long a login URL opens sessions; then a fresh one is announced. */
  loginTtlMs: number;
  /** How long a session secret opens a socket unless renewed. */
  sessionTtlMs: number;
  /** Failed authentications of one client, within `lockoutMs`, that lock it out. */
  maxFailures: number;
  /** How long a lockout lasts, and how long a failure is remembered. */
  lockoutMs: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  loginTtlMs: 60 * 60_000,
  sessionTtlMs: 15 * 60_000,
  maxFailures: 5,
  lockoutMs: 15 * 60_000,
};

export type LoginResult =
  { ok: true; secret: string; expiresInMs: number } | { ok: false; status: 401 | 429; message: string; retryAfterMs?: number };

/** What `GET <path>?token=…` answers: a 303 into the page with its session, or a refusal. */
export type LoginAnswer =
  | { status: 303; headers: { 'Set-Cookie': string; Location: string } }
  | { status: 401 | 403 | 429; headers: Record<string, string>; message: string };

export type SocketAuthResult =
  | { ok: true; secret: string; expiresInMs: number }
  | { ok: false; code: typeof CLOSE_UNAUTHENTICATED | typeof CLOSE_LOCKED_OUT; reason: string };

export interface SessionAuthOptions {
  port: number;
  /** The first login token (SWARMDECK_TOKEN); random if absent. Later ones are always random. */
  token?: string;
  limits?: Partial<AuthLimits>;
  now?: () => number;
  /** Called with each login token minted after the first, and why. */
  announce: (token: string, why: 'expired' | 'requested') => void;
  log: (line: string) => void;
}

/** The first frame is `{"auth": secret}`, a few hundred bytes: nothing bigger is parsed before it. */
const MAX_AUTH_FRAME_BYTES = 1024;
/** Expired login tokens remembered, to say "expired" instead of counting a stale URL as a guess. */
const EXPIRED_LOGINS_KEPT = 16;
/** Clients tracked for failures; only non-loopback addresses could ever make this many. */
const MAX_TRACKED_CLIENTS = 4096;
/** setTimeout's largest delay; longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Equal digests of two strings, in time that does not depend on where they differ, nor on their lengths. */
function sameSecret(given: string, digest: Buffer): boolean {
  return timingSafeEqual(sha256(given), digest);
}

/** The client a failure counts against: the remote address, with every loopback address as one (see above). */
export function clientOf(remoteAddress: string | undefined): string {
  const address = (remoteAddress ?? '').replace(/^::ffff:/i, '');
  return address.startsWith('127.') || address === '::1' ? 'loopback' : address;
}

/**
 * A login the operator made by hand (typed, pasted, opened from a terminal) or a non-browser
 * client: browsers say `Sec-Fetch-Site: none` for the first and send nothing for the second.
 * A page of any other origin, this host's neighbours included, causes "same-site" or "cross-site".
 */
function loginByHand(secFetchSite: string | string[] | undefined): boolean {
  return secFetchSite === undefined || secFetchSite === 'none';
}

/**
 * Every value a Cookie header gives a name (RFC 6265: split at the first `=`, optional quotes).
 * A stale cookie of an earlier run on the same port may come first: any may be ours.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    values.push(value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
  }
  return values;
}

const minutes = (ms: number): string => `${Math.max(1, Math.ceil(ms / 60_000))} min`;

/** The web host's credentials: login tokens, sessions, the static cookie, and the failure limit. */
export class SessionAuth {
  readonly limits: AuthLimits;
  /** Named per port: the name alone must not let two hosts on 127.0.0.1 overwrite each other's cookie. */
  readonly staticCookieName: string;
  private readonly staticDigest: Buffer;
  private readonly staticValue: string;
  private readonly sessionKey = randomBytes(32);
  /** Not secret: tells a session of an earlier run (a restart) from a guess. */
  private readonly runId = randomBytes(6).toString('hex');
  private readonly now: () => number;
  private loginToken: string;
  private loginDigest: Buffer;
  private loginExpiresAt: number;
  private expiredLogins: { token: string; digest: Buffer }[] = [];
  private readonly strikes = new Map<string, { at: number[]; lockedUntil: number }>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: SessionAuthOptions) {
    this.limits = { ...DEFAULT_AUTH_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.staticCookieName = `swarmdeck_static_${options.port}`;
    this.staticValue = createHmac('sha256', randomBytes(32)).update(`static-files|127.0.0.1:${options.port}`).digest('base64url');
    this.staticDigest = sha256(this.staticValue);
    this.loginToken = options.token ?? randomBytes(24).toString('base64url');
    this.loginDigest = sha256(this.loginToken);
    this.loginExpiresAt = this.now() + this.limits.loginTtlMs;
    this.schedule();
  }

  /** The login token in force now (expiring it first if its time has come). */
  get token(): string {
    this.expireLoginIfDue();
    return this.loginToken;
  }

  /** Log lines quote request targets, which may carry a token or a session: never write one down. */
  redact(line: string): string {
    let clean = line;
    for (const token of [this.loginToken, ...this.expiredLogins.map((old) => old.token)]) clean = clean.split(token).join('<redacted>');
    return clean.replace(/((?:token|session)(?:=|%3D))[^&\s"'#]*/gi, '$1<redacted>');
  }

  /** A fresh login URL on the operator's request; the current one stops working. */
  renewLogin(): string {
    this.rotate('requested');
    return this.loginToken;
  }

  /** The `GET /?token=…` exchange: a session, or why not. */
  login(given: string, client: string): LoginResult {
    this.expireLoginIfDue();
    const locked = this.lockedFor(client);
    // Refused unchecked: a locked-out client learns nothing about the (maybe short) login token.
    if (locked > 0) return { ok: false, status: 429, message: this.lockedMessage(locked), retryAfterMs: locked };
    if (sameSecret(given, this.loginDigest)) return { ok: true, ...this.mint() };
    const digest = sha256(given);
    if (this.expiredLogins.some((old) => timingSafeEqual(old.digest, digest))) {
      return {
        ok: false,
        status: 401,
        message: 'Swarmdeck: this login URL has expired; open the newest one the host printed (or restart it).',
      };
    }
    this.strike(client);
    return { ok: false, status: 401, message: 'Swarmdeck: open the URL printed by "npm run serve" (it carries the access token).' };
  }

  /** The HTTP side of a login: the redirect that hands the page its session, or the refusal. */
  loginAnswer(given: string, request: { secFetchSite: string | string[] | undefined; client: string; pathname: string }): LoginAnswer {
    if (!loginByHand(request.secFetchSite)) {
      // Checked before the token and never counted: a page cannot spend the operator's failures.
      this.options.log(`refused a login a page caused (Sec-Fetch-Site: ${String(request.secFetchSite)})`);
      return {
        status: 403,
        headers: {},
        message: 'Swarmdeck: open the login URL yourself (paste it into the address bar); a page cannot log in for you.',
      };
    }
    const result = this.login(given, request.client);
    if (!result.ok) {
      const headers: Record<string, string> =
        result.retryAfterMs === undefined ? {} : { 'Retry-After': String(Math.ceil(result.retryAfterMs / 1000)) };
      return { status: result.status, headers, message: result.message };
    }
    // The secret goes in the fragment, which the browser never sends to a server, and the static
    // cookie opens the files only. The leading slashes are folded so the Location can never read
    // as `//other-host`; the token is dropped from the address bar.
    return {
      status: 303,
      headers: {
        'Set-Cookie': this.staticCookie(),
        Location: `${request.pathname.replace(/^\/+/, '/')}#${SESSION_FRAGMENT}=${result.secret}`,
      },
    };
  }

  /** A socket's first frame, as it came: a fresh session for a valid `{"auth": secret}`, else the close code and reason. */
  firstFrame(text: Buffer, client: string): SocketAuthResult {
    let message: unknown;
    try {
      message = text.length <= MAX_AUTH_FRAME_BYTES ? JSON.parse(text.toString()) : undefined;
    } catch {
      message = undefined;
    }
    // Not counted: a frame that presents nothing is no guess.
    if (!isAuthMessage(message)) return { ok: false, code: CLOSE_UNAUTHENTICATED, reason: 'The first frame must be {"auth": session}' };
    return this.authenticate(message.auth, client);
  }

  /** A session secret presented on a socket: a fresh session for a valid one, else the close code and reason. */
  authenticate(given: string, client: string): SocketAuthResult {
    const verdict = this.check(given);
    // Accepted even during a lockout: see the comment at the top.
    if (verdict === 'valid') return { ok: true, ...this.mint() };
    if (verdict === 'expired')
      return { ok: false, code: CLOSE_UNAUTHENTICATED, reason: 'Session expired: open the login URL the host printed' };
    if (verdict === 'earlier-run')
      return { ok: false, code: CLOSE_UNAUTHENTICATED, reason: 'Session of an earlier run of the host: open its new login URL' };
    const locked = this.lockedFor(client);
    if (locked > 0)
      return { ok: false, code: CLOSE_LOCKED_OUT, reason: `Too many failed logins: locked for ${minutes(locked)}, or restart the host` };
    // Not counted: a session is 256 bits that nobody guesses, and any page can make the host's own
    // page present a wrong one (a link to /#session=junk carries the static cookie, same-site):
    // counting it would let that page spend the operator's failures and lock out their logins.
    return { ok: false, code: CLOSE_UNAUTHENTICATED, reason: 'Unknown session: open the login URL the host printed' };
  }

  /** A new session secret, for a socket that proved it holds one (renewal). */
  mint(): { secret: string; expiresInMs: number } {
    const body = `s1.${this.runId}.${(this.now() + this.limits.sessionTtlMs).toString(36)}.${randomBytes(16).toString('base64url')}`;
    return { secret: `${body}.${this.mac(body)}`, expiresInMs: this.limits.sessionTtlMs };
  }

  /** The Set-Cookie value that opens the static files. */
  staticCookie(): string {
    return `${this.staticCookieName}=${this.staticValue}; HttpOnly; SameSite=Strict; Path=/`;
  }

  hasStaticCookie(header: string | undefined): boolean {
    return cookieValues(header, this.staticCookieName).some((value) => sameSecret(value, this.staticDigest));
  }

  /** Milliseconds the client stays locked out; 0 when it is not. */
  lockedFor(client: string): number {
    const entry = this.strikes.get(client);
    return entry ? Math.max(0, entry.lockedUntil - this.now()) : 0;
  }

  close(): void {
    clearTimeout(this.timer);
  }

  lockedMessage(ms: number): string {
    return `Swarmdeck: too many failed logins from this machine; try again in ${minutes(ms)}, or restart the host (it prints a new login URL).`;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.sessionKey).update(body).digest('base64url');
  }

  private check(given: string): 'valid' | 'expired' | 'earlier-run' | 'wrong' {
    const parts = given.length <= 256 ? given.split('.') : [];
    if (parts.length !== 5 || parts[0] !== 's1') return 'wrong';
    if (parts[1] !== this.runId) return 'earlier-run';
    const expected = Buffer.from(this.mac(parts.slice(0, 4).join('.')), 'base64url');
    const mac = Buffer.from(parts[4] as string, 'base64url');
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return 'wrong';
    // Only now is the expiry ours: it was covered by the MAC.
    return this.now() < parseInt(parts[2] as string, 36) ? 'valid' : 'expired';
  }

  private strike(client: string): void {
    const now = this.now();
    const entry = this.strikes.get(client) ?? { at: [], lockedUntil: 0 };
    entry.at = entry.at.filter((at) => now - at < this.limits.lockoutMs);
    entry.at.push(now);
    this.options.log(`wrong login token from ${client}: ${entry.at.length} of ${this.limits.maxFailures} failures`);
    if (entry.at.length >= this.limits.maxFailures) {
      entry.lockedUntil = now + this.limits.lockoutMs;
      entry.at = [];
      this.options.log(`locked out ${client} for ${minutes(this.limits.lockoutMs)} after ${this.limits.maxFailures} failed logins`);
    }
    // Most recent last, so the oldest client is the one forgotten when too many are tracked.
    this.strikes.delete(client);
    this.strikes.set(client, entry);
    if (this.strikes.size > MAX_TRACKED_CLIENTS) this.strikes.delete(this.strikes.keys().next().value as string);
  }

  private expireLoginIfDue(): void {
    if (this.now() >= this.loginExpiresAt) this.rotate('expired');
  }

  private rotate(why: 'expired' | 'requested'): void {
    this.expiredLogins = [{ token: this.loginToken, digest: this.loginDigest }, ...this.expiredLogins].slice(0, EXPIRED_LOGINS_KEPT);
    this.loginToken = randomBytes(24).toString('base64url');
    this.loginDigest = sha256(this.loginToken);
    this.loginExpiresAt = this.now() + this.limits.loginTtlMs;
    this.schedule();
    this.options.announce(this.loginToken, why);
  }

  /** Wakes at the login token's expiry to print the next URL; unref'd: it never keeps the process alive. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        if (this.now() >= this.loginExpiresAt) this.rotate('expired');
        else this.schedule();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, this.loginExpiresAt - this.now())),
    );
    this.timer.unref();
  }
}
