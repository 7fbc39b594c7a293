import type { Redis } from 'ioredis';
import { SwarmdeckError } from '../../../shared/errors';
import type { JobView } from '../../../shared/model/job';
import type { MonitorLine, MonitorLines } from '../../../shared/model/console';
import type { Caller, Owners } from '../../owners';
import type { Session } from '../../redis/connection-manager';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import { withTimeout } from '../../redis/with-timeout';
import type { JobRegistry } from '../jobs/job-registry';

export interface MonitorOptions {
  seconds?: number;
  maxCommands?: number;
  commands?: string[];
  contains?: string;
  node?: string;
  confirm?: string;
}

export interface MonitorResult {
  commands: number;
  perNode: Record<string, number>;
  stoppedBy: 'time' | 'count' | 'cancel';
}

/** Lines kept per job for the window to read; older ones are dropped (and counted). */
const KEEP_LINES = 5000;
/** Jobs whose lines stay readable; the oldest go first. */
const KEEP_JOBS = 20;
/** The rate is measured over this window. */
const RATE_WINDOW_MS = 2000;

interface Buffered {
  lines: MonitorLine[];
  seq: number;
  dropped: number;
}

/**
 * A MONITOR connection to one node, held from the moment it is made so that a failure closes
 * it. ioredis's own `monitor()` loses it: when a monitored line arrives in the same read as
 * MONITOR's OK (any busy server), it reports "Command queue state error" and its promise
 * rejects, while the connection it opened goes on monitoring with nobody to close it; each
 * such failed job left one behind, and its place under the cap was freed all the same.
 */
async function openMonitor(node: NodeHandle, timeoutMs: number): Promise<Redis> {
  // The read-only guard refuses this duplicate as it refuses monitor().
  const monitor = node.client.duplicate({ monitor: true, lazyConnect: false });
  let last: unknown;
  // Kept for the connection's life: an 'error' nobody hears would end the process. Reported
  // while connecting, or (the race above) just before monitoring: whether it ends is what tells.
  monitor.on('error', (error: unknown) => (last = error));
  let onEnd: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onEnd = () => reject(last instanceof Error ? last : new Error('Connection is closed.'));
    monitor.once('monitoring', () => resolve());
    monitor.once('end', onEnd);
  });
  try {
    await withTimeout(ready, timeoutMs, `starting MONITOR on ${node.address}`);
    return monitor;
  } catch (error) {
    monitor.disconnect();
    throw error;
  } finally {
    monitor.off('end', onEnd);
  }
}

/**
 * MONITOR as a job: one MONITOR connection of its own per node (ioredis's `monitor()` opens
 * it), so the shared connection never enters monitor mode; it stops by itself after a time or
 * a count and keeps the newest lines for the window to read. It is held in its caller's name
 * (owners.ts): capped per tab and per profile, and stopped when the tab goes.
 */
export class ConsoleMonitors {
  private readonly buffers = new Map<string, Buffered>();

  constructor(
    private readonly jobs: JobRegistry,
    private readonly owners: Owners,
  ) {}

  start(session: Session, options: MonitorOptions, caller: Caller): JobView {
    const profile = session.profile;
    const all = nodeHandles(session.client, 'all');
    const nodes = options.node ? all.filter((n) => n.address === options.node) : all;
    if (nodes.length === 0)
      throw new SwarmdeckError(
        'NOT_FOUND',
        `${options.node ?? ''} is not a node of profile "${profile.name}" (its nodes: ${all.map((n) => n.address).join(', ')})`,
      );
    const hold = this.owners.reserve(caller.owner, 'console.monitor', profile.id);
    const seconds = options.seconds ?? 60;
    const max = options.maxCommands ?? 100_000;
    const names = options.commands ? new Set(options.commands.map((c) => c.toLowerCase())) : undefined;
    const buffer: Buffered = { lines: [], seq: 0, dropped: 0 };
    const view = this.jobs.start<MonitorResult>({
      kind: 'console.monitor',
      profileId: profile.id,
      title: `MONITOR on ${nodes.length === 1 ? (nodes[0]?.address ?? '') : `${nodes.length} nodes`} for ${seconds} s`,
      unit: 'commands',
      run: async ({ signal, progress }) => {
        const perNode: Record<string, number> = Object.fromEntries(nodes.map((n) => [n.address, 0]));
        const stamps: number[] = [];
        let total = 0;
        let stoppedBy: MonitorResult['stoppedBy'] = 'time';
        const monitors: Redis[] = [];
        let finish: () => void = () => undefined;
        const finished = new Promise<void>((resolve) => (finish = resolve));
        const report = (): void => {
          const now = Date.now();
          while (stamps.length > 0 && (stamps[0] as number) < now - RATE_WINDOW_MS) stamps.shift();
          progress({
            done: total,
            total: max,
            rate: stamps.length / (RATE_WINDOW_MS / 1000),
            parts: Object.fromEntries(Object.entries(perNode).map(([a, done]) => [a, { done }])),
          });
        };
        const timer = setTimeout(finish, seconds * 1000);
        const ticker = setInterval(report, 500);
        signal.addEventListener('abort', () => {
          stoppedBy = 'cancel';
          finish();
        });
        try {
          // Every node at once, each within the connect timeout: one node that never answers fails
          // the job with its name instead of leaving it running while it watches nothing.
          const started = await Promise.allSettled(nodes.map((node) => openMonitor(node, profile.connectTimeoutMs + 1000)));
          for (const outcome of started) if (outcome.status === 'fulfilled') monitors.push(outcome.value);
          const failed = started.find((o): o is PromiseRejectedResult => o.status === 'rejected');
          if (failed) throw failed.reason;
          for (const [index, node] of nodes.entries()) {
            const monitor = monitors[index] as Redis;
            monitor.on('error', () => undefined);
            monitor.on('monitor', (time: string, args: string[], source: string, database: string) => {
              if (total >= max) return;
              if (names && !names.has((args[0] ?? '').toLowerCase())) return;
              if (options.contains && !args.join(' ').includes(options.contains)) return;
              total += 1;
              perNode[node.address] = (perNode[node.address] ?? 0) + 1;
              stamps.push(Date.now());
              buffer.seq += 1;
              buffer.lines.push({
                seq: buffer.seq,
                time: Number(time),
                node: node.address,
                db: Number(database),
                client: source,
                argv: args,
              });
              if (buffer.lines.length > KEEP_LINES) {
                buffer.lines.shift();
                buffer.dropped += 1;
              }
              if (total >= max) {
                stoppedBy = 'count';
                finish();
              }
            });
          }
          if (signal.aborted) stoppedBy = 'cancel';
          else await finished;
        } finally {
          clearTimeout(timer);
          clearInterval(ticker);
          for (const m of monitors) m.disconnect();
          hold.end();
        }
        report();
        return { commands: total, perNode, stoppedBy };
      },
    });
    hold.onRelease(async () => {
      this.jobs.cancel(view.id);
      await this.jobs.settled(view.id);
    });
    this.buffers.set(view.id, buffer);
    while (this.buffers.size > KEEP_JOBS) this.buffers.delete(this.buffers.keys().next().value as string);
    return view;
  }

  lines(jobId: string, after = 0, limit = 1000): MonitorLines {
    const buffer = this.buffers.get(jobId);
    if (!buffer) throw new SwarmdeckError('NOT_FOUND', `${jobId} is not a console MONITOR job (or its lines are no longer kept)`);
    const lines = buffer.lines.filter((l) => l.seq > after).slice(0, limit);
    return { lines, next: lines.at(-1)?.seq ?? Math.max(after, buffer.lines.at(-1)?.seq ?? 0), dropped: buffer.dropped };
  }
}
