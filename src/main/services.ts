import { QueueService } from './features/queues/queue-service';
import { SwarmService } from './features/swarms/swarm-service';
import { SwarmMonitor } from './features/swarms/swarm-monitor';
import { localActor, type HostKind } from './actor';
import { EventBus } from './event-bus';
import { QueueMonitor } from './features/queues/queue-monitor';
import { HealthMonitor } from './features/health/health-monitor';
import { JobRegistry } from './features/jobs/job-registry';
import { ConsoleService } from './features/console/console-service';
import { DiagnosticsService } from './features/diagnostics/diagnostics-service';
import { BackupService } from './features/backup/service';
import { ProfileStore } from './features/profiles/profile-store';
import { SecretStore, ownerOnlyCodec, type SecretCodec } from './features/profiles/secret-store';
import { ConnectionManager } from './redis/connection-manager';
import { Sandbox } from './features/app/sandbox';
import { SettingsStore } from './settings-store';
import { MetricsService } from './features/metrics/service';
import { AnalyticsService } from './features/analytics/analytics-service';
import type { Clock } from '../shared/clock';
import { MessagingService } from './features/messaging/service';
import { LockService } from './features/locks/service';
import { StateService } from './features/state/service';
import { MemoryService } from './features/memory/service';
import { ConfigService } from './features/config/service';
import { Owners } from './owners';

export interface ServiceOptions {
  /** Folder for profiles, settings and (sealed) secrets. */
  home: string;
  codec?: SecretCodec;
  env?: NodeJS.ProcessEnv;
  healthIntervalMs?: number;
  /** The host these services run in, named in every audit entry. */
  host?: HostKind;
  /** Run the profiles' backup schedules while these services live (the desktop app and the web host). */
  runSchedules?: boolean;
  /** The time metrics and alerts read (tests move it forward instead of sleeping). */
  clock?: Clock;
  /**
   * Write the built-in series into each connected profile's Redis and evaluate alert rules on
   * the beat (the desktop app and the web host); a one-shot CLI run writes nothing.
   */
  collectMetrics?: boolean;
}

/**
 * Everything main runs, wired once; Electron, the web host, the CLI and tests all start here.
 *
 * One service style: every feature the hosts call is one entry here, built once, and each of
 * its methods takes the `Session` it acts on. Some services hold what outlives a call (message
 * watches, swarm views, monitors, the home), and one entry per feature lets a handler, a CLI
 * command and a test reach all of them the same way, never by building one per call. The
 * classes agents import from the SDK (`TaskQueue`, `FencedLocks`, `VersionedState`, …) are bound
 * to one client and prefix; a service builds them from the session inside a method and never
 * keeps one, so a reconnected profile is never served by a stale client.
 */
export function createServices(options: ServiceOptions) {
  const bus = new EventBus();
  const secrets = new SecretStore(options.home, options.codec ?? ownerOnlyCodec, options.env);
  const profiles = new ProfileStore(options.home, secrets);
  const settings = new SettingsStore(options.home);
  const connections = new ConnectionManager(profiles, secrets, bus, localActor(options.host ?? 'test'));
  const jobs = new JobRegistry(bus);
  // What calls leave running (watches, MONITORs), held per socket, window or process: see owners.ts.
  const owners = new Owners();
  connections.onClosed((profileId) => jobs.cancelAll(profileId));
  const health = new HealthMonitor(connections, settings, bus, options.healthIntervalMs);
  const sandbox = new Sandbox(profiles);
  const queues = new QueueService();
  const swarms = new SwarmService();
  const queueMonitor = new QueueMonitor(connections, queues, bus, options.healthIntervalMs);
  const swarmMonitor = new SwarmMonitor(connections, swarms, bus, owners);
  const redisConsole = new ConsoleService(options.home, jobs, owners);
  const diagnostics = new DiagnosticsService(jobs, connections, profiles, secrets);
  const backups = new BackupService(options.home, connections, profiles, jobs);
  const metrics = new MetricsService({
    home: options.home,
    connections,
    bus,
    settings,
    swarms,
    clock: options.clock,
    intervalMs: options.healthIntervalMs,
    collect: options.collectMetrics ?? false,
  });
  // A schedule file that cannot be read must not stop the app: the Backups page shows the error.
  if (options.runSchedules)
    void backups.startSchedules(options.host ?? 'test').catch((error: unknown) => console.warn('backup schedules not started:', error));
  return {
    diagnostics,
    queues,
    swarms,
    swarmMonitor,
    bus,
    jobs,
    backups,
    profiles,
    secrets,
    settings,
    connections,
    health,
    sandbox,
    console: redisConsole,
    metrics,
    analytics: new AnalyticsService(metrics, connections, jobs),
    messaging: new MessagingService(options.home, jobs, owners),
    locks: new LockService(),
    state: new StateService(),
    memory: new MemoryService(),
    config: new ConfigService(),
    owners,
    async dispose(): Promise<void> {
      if (options.runSchedules) await backups.stopSchedules();
      jobs.cancelAll();
      health.stopAll();
      queueMonitor.stopAll();
      swarmMonitor.stopAll();
      metrics.stopAll();
      connections.closeAll();
      await sandbox.stop();
      await redisConsole.history.flush();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
