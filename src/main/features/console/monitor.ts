import type { Redis } from 'ioredis';
import { SwarmdeckError } from '../../../shared/errors';
import type { JobView } from '../../../shared/model/job';
import type { MonitorLine, MonitorLines } from '../../../shared/model/console';
import type { Caller, Owners } from '../../owners';
import type { Session } from '../../redis/connection-manager';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import { withTimeout } from '../../redis/with-timeout';
import type { JobContext, JobRegistry } from '../jobs/job-registry';

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
    const filter: Filter = {
      max: options.maxCommands ?? 100_000,
      names: options.commands ? new Set(options.commands.map((c) => c.toLowerCase())) : undefined,
      contains: options.contains,
    };
    const buffer: Buffered = { lines: [], seq: 0, dropped: 0 };
    const view = this.jobs.start<MonitorResult>({
      kind: 'console.monitor',
      profileId: profile.id,
      title: `MONITOR on ${nodes.length === 1 ? (nodes[0]?.address ?? '') : `${nodes.length} nodes`} for ${seconds} s`,
      unit: 'commands',
      run: (job) =>
        runMonitor(job, { nodes, seconds, filter, buffer, connectTimeoutMs: profile.connectTimeoutMs }).finally(() => hold.end()),
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

/** Which monitored lines a job keeps, and how many before it stops. */
interface Filter {
  max: number;
  names?: Set<string>;
  contains?: string;
}

interface MonitorRun {
  nodes: NodeHandle[];
  seconds: number;
  filter: Filter;
  buffer: Buffered;
  connectTimeoutMs: number;
}

/** What a job has seen so far: per node, and the stamps its rate is measured over. */
interface Seen {
  total: number;
  perNode: Record<string, number>;
  stamps: number[];
  stoppedBy: MonitorResult['stoppedBy'];
}

async function runMonitor({ signal, progress }: JobContext, run: MonitorRun): Promise<MonitorResult> {
  const { nodes, filter } = run;
  const seen: Seen = { total: 0, perNode: Object.fromEntries(nodes.map((n) => [n.address, 0])), stamps: [], stoppedBy: 'time' };
  const monitors: Redis[] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const report = (): void => {
    const now = Date.now();
    while (seen.stamps.length > 0 && (seen.stamps[0] as number) < now - RATE_WINDOW_MS) seen.stamps.shift();
    progress({
      done: seen.total,
      total: filter.max,
      rate: seen.stamps.length / (RATE_WINDOW_MS / 1000),
      parts: Object.fromEntries(Object.entries(seen.perNode).map(([a, done]) => [a, { done }])),
    });
  };
  const timer = setTimeout(finish, run.seconds * 1000);
  const ticker = setInterval(report, 500);
  signal.addEventListener('abort', () => {
    seen.stoppedBy = 'cancel';
    finish();
  });
  try {
    // Every node at once, each within the connect timeout: one node that never answers fails
    // the job with its name instead of leaving it running while it watches nothing.
    const started = await Promise.allSettled(nodes.map((node) => openMonitor(node, run.connectTimeoutMs + 1000)));
    for (const outcome of started) if (outcome.status === 'fulfilled') monitors.push(outcome.value);
    const failed = started.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    for (const [index, node] of nodes.entries()) {
      const monitor = monitors[index] as Redis;
      monitor.on('error', () => undefined);
      monitor.on('monitor', (time: string, args: string[], source: string, database: string) => {
        const line = { time: Number(time), node: node.address, db: Number(database), client: source, argv: args };
        if (!keep(seen, run, line)) return;
        if (seen.total >= filter.max) {
          seen.stoppedBy = 'count';
          finish();
        }
      });
    }
    if (signal.aborted) seen.stoppedBy = 'cancel';
    else await finished;
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
    for (const m of monitors) m.disconnect();
  }
  report();
  return { commands: seen.total, perNode: seen.perNode, stoppedBy: seen.stoppedBy };
}

/** Counts and buffers one monitored line if the job still wants it; whether it did. */
function keep(seen: Seen, { filter, buffer }: MonitorRun, line: Omit<MonitorLine, 'seq'>): boolean {
  if (seen.total >= filter.max) return false;
  if (filter.names && !filter.names.has((line.argv[0] ?? '').toLowerCase())) return false;
  if (filter.contains && !line.argv.join(' ').includes(filter.contains)) return false;
  seen.total += 1;
  seen.perNode[line.node] = (seen.perNode[line.node] ?? 0) + 1;
  seen.stamps.push(Date.now());
  buffer.seq += 1;
  buffer.lines.push({ seq: buffer.seq, ...line });
  if (buffer.lines.length > KEEP_LINES) {
    buffer.lines.shift();
    buffer.dropped += 1;
  }
  return true;
}
