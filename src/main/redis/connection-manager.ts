import { SwarmdeckError } from '../../shared/errors';
import type { ConnectionState, ConnectionStatus } from '../../shared/model/health';
import type { Profile } from '../../shared/model/profile';
import { localActor, type Actor } from '../actor';
import type { EventBus } from '../event-bus';
import type { ProfileStore } from '../features/profiles/profile-store';
import type { SecretStore } from '../features/profiles/secret-store';
import { createClient, describeSpec, type RedisClient } from './client-options';
import { withTimeout } from './with-timeout';
import { describeRedisError, toSwarmdeckError } from './describe-error';
import { readCommandTable } from './read-only-guard';

/** Backoff after a connection that once worked: 100 ms doubling to 5 s, forever. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), 5000);
}

/** One live connection of one profile. Its status is read off the client's own events. */
export class Session {
  private state: ConnectionState = 'connecting';
  private reason?: string;
  private attempt = 0;
  private since = new Date().toISOString();
  private everReady = false;
  private closing = false;
  private lastError: unknown;
  readonly client: RedisClient;

  constructor(
    readonly profile: Profile,
    password: string | undefined,
    private readonly onChange: (status: ConnectionStatus) => void,
    /** Who acts through this connection, for the audit stream. */
    readonly actor: Actor = localActor('sdk'),
  ) {
    const spec = { profile, password };
    const where = describeSpec(spec);
    this.client = createClient(spec, {
      // Before the first success a failure is final; afterwards we keep trying.
      retry: (attempt) => (this.everReady && !this.closing ? reconnectDelay(attempt) : null),
    });
    this.client.on('ready', () => {
      this.everReady = true;
      this.attempt = 0;
      this.set('connected', undefined);
    });
    this.client.on('error', (error: unknown) => {
      this.lastError = error;
      this.reason = describeRedisError(error, where).message;
    });
    this.client.on('node error', (error: unknown, address: string) => {
      this.reason = describeRedisError(error, address).message;
    });
    this.client.on('close', () => {
      // A server that shuts down cleanly closes the socket without an error: say so.
      if (!this.closing && this.state === 'connected') this.reason = `${where} closed the connection`;
    });
    this.client.on('reconnecting', () => {
      if (!this.everReady) return;
      this.attempt += 1;
      this.set('reconnecting', this.reason);
    });
    this.client.on('end', () => {
      this.set(this.closing ? 'disconnected' : 'failed', this.closing ? undefined : this.reason);
    });
  }

  get status(): ConnectionStatus {
    const status: ConnectionStatus = { profileId: this.profile.id, state: this.state, since: this.since };
    if (this.reason !== undefined && this.state !== 'connected') status.reason = this.reason;
    if (this.state === 'reconnecting') status.attempt = this.attempt;
    return status;
  }

  async open(): Promise<void> {
    const where = describeSpec({ profile: this.profile });
    try {
      await withTimeout(this.client.connect(), this.profile.connectTimeoutMs + 1000, `connecting to ${where}`);
      // The client was guarded when made; now the guard learns which commands the server flags readonly.
      if (this.profile.readOnly) await readCommandTable(this.client);
      // A cluster resolves connect() before it emits 'ready'.
      this.everReady = true;
      this.set('connected', undefined);
    } catch (error) {
      // connect() often rejects with a bare "Connection is closed"; the error event said why.
      const failure = toSwarmdeckError(error instanceof SwarmdeckError ? error : (this.lastError ?? error), where);
      this.closing = true;
      this.client.disconnect();
      this.set('failed', failure.message);
      throw failure;
    }
  }

  close(): void {
    this.closing = true;
    this.client.disconnect();
    this.set('disconnected', undefined);
  }

  private set(state: ConnectionState, reason: string | undefined): void {
    if (state === this.state && reason === this.reason && state !== 'reconnecting') return;
    if (state !== this.state) this.since = new Date().toISOString();
    this.state = state;
    this.reason = reason;
    this.onChange(this.status);
  }
}

/** Several profiles can be connected at once; each view names the one it is about. */
export class ConnectionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly lastStatus = new Map<string, ConnectionStatus>();
  private readonly pending = new Map<string, Promise<ConnectionStatus>>();
  private readonly openedListeners = new Set<(session: Session) => void>();
  private readonly closedListeners = new Set<(profileId: string) => void>();

  constructor(
    private readonly profiles: ProfileStore,
    private readonly secrets: SecretStore,
    private readonly bus: EventBus,
    private readonly actor: Actor = localActor('sdk'),
  ) {}

  onOpened(listener: (session: Session) => void): void {
    this.openedListeners.add(listener);
  }

  onClosed(listener: (profileId: string) => void): void {
    this.closedListeners.add(listener);
  }

  list(): ConnectionStatus[] {
    return [...this.lastStatus.values()];
  }

  connect(profileId: string): Promise<ConnectionStatus> {
    const live = this.sessions.get(profileId);
    // A session whose client has ended for good is replaced, never reported back as the answer.
    if (live && live.status.state !== 'failed') return Promise.resolve(live.status);
    if (live) this.drop(profileId, live);
    const inFlight = this.pending.get(profileId);
    if (inFlight) return inFlight;
    const attempt = this.open(profileId).finally(() => this.pending.delete(profileId));
    this.pending.set(profileId, attempt);
    return attempt;
  }

  /**
   * Connects a profile with a password given by the caller instead of the stored one: the
   * CLI's ad hoc targets (`--url`, `--cluster`) and `--password-env`. Nothing is written to disk.
   */
  async connectWith(profile: Profile, password: string | undefined): Promise<ConnectionStatus> {
    const live = this.sessions.get(profile.id);
    if (live) this.drop(profile.id, live);
    return this.start(profile, password);
  }

  private async open(profileId: string): Promise<ConnectionStatus> {
    const profile = await this.profiles.get(profileId);
    return this.start(profile, await this.secrets.password(profile));
  }

  private async start(profile: Profile, password: string | undefined): Promise<ConnectionStatus> {
    const profileId = profile.id;
    const session = new Session(profile, password, (status) => this.publish(status), this.actor);
    this.publish(session.status);
    await session.open();
    this.sessions.set(profileId, session);
    for (const listener of this.openedListeners) listener(session);
    return session.status;
  }

  disconnect(profileId: string): ConnectionStatus {
    const session = this.sessions.get(profileId);
    if (!session) {
      const status: ConnectionStatus = { profileId, state: 'disconnected', since: new Date().toISOString() };
      this.publish(status);
      return status;
    }
    this.drop(profileId, session);
    return session.status;
  }

  private drop(profileId: string, session: Session): void {
    this.sessions.delete(profileId);
    for (const listener of this.closedListeners) listener(profileId);
    session.close();
  }

  session(profileId: string): Session {
    const session = this.sessions.get(profileId);
    if (!session) throw new SwarmdeckError('NOT_CONNECTED', `Profile "${profileId}" is not connected; connect it first`);
    return session;
  }

  isConnected(profileId: string): boolean {
    return this.sessions.has(profileId);
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.disconnect(id);
  }

  private publish(status: ConnectionStatus): void {
    this.lastStatus.set(status.profileId, status);
    this.bus.emit({ type: 'connection.status', status });
  }
}
