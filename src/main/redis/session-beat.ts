import type { ConnectionManager, Session } from './connection-manager';

export interface BeatWork<S> {
  /** Per-connection state, made when the profile connects. */
  start(session: Session): S;
  /** One beat; a beat still running when the next is due is not doubled. */
  tick(session: Session, state: S): Promise<void>;
}

/**
 * Runs work on a fixed beat for every connected profile, from connect to disconnect.
 * The monitors (health, queues) are each one of these.
 */
export class SessionBeat<S> {
  private readonly watches = new Map<string, { timer: NodeJS.Timeout; state: S; busy: boolean }>();

  constructor(
    connections: ConnectionManager,
    private readonly work: BeatWork<S>,
    private readonly intervalMs: number,
  ) {
    connections.onOpened((session) => this.watch(session));
    connections.onClosed((profileId) => this.unwatch(profileId));
  }

  /** The state of a connected profile's watch, if it has one. */
  state(profileId: string): S | undefined {
    return this.watches.get(profileId)?.state;
  }

  private watch(session: Session): void {
    const id = session.profile.id;
    const timer = setInterval(() => void this.beat(session), this.intervalMs);
    timer.unref();
    this.watches.set(id, { timer, state: this.work.start(session), busy: false });
    void this.beat(session);
  }

  private unwatch(profileId: string): void {
    const watch = this.watches.get(profileId);
    if (watch) clearInterval(watch.timer);
    this.watches.delete(profileId);
  }

  private async beat(session: Session): Promise<void> {
    const watch = this.watches.get(session.profile.id);
    if (!watch || watch.busy) return;
    watch.busy = true;
    try {
      await this.work.tick(session, watch.state);
    } catch {
      // Failing reads show in the connection status and the health view, not here.
    } finally {
      watch.busy = false;
    }
  }

  /** Whether this watch is still the current one (a profile may reconnect mid-beat). */
  isCurrent(profileId: string, state: S): boolean {
    return this.watches.get(profileId)?.state === state;
  }

  stopAll(): void {
    for (const id of [...this.watches.keys()]) this.unwatch(id);
  }
}
