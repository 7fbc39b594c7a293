import { SwarmdeckError } from '../../../shared/errors';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, intFlag, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';

const PURGE_STATES = ['waiting', 'delayed', 'finished', 'dead'] as const;

export const queueCommands: CliCommand<Context>[] = [
  {
    words: ['queues'],
    usage: ['queues list                           every queue with its counts'],
    async run([, action], ctx) {
      if (action !== 'list') throw new UsageError('queues needs an action: list');
      const profile = await connectTarget(ctx);
      const all = await ctx.api.call('queues.list', { profileId: profile.id });
      const rows = [['QUEUE', 'WAITING', 'DELAYED', 'ACTIVE', 'FINISHED', 'DEAD', 'PAUSED', 'DONE/MIN']];
      for (const q of all)
        rows.push([
          q.name,
          ...[q.counts.waiting, q.counts.delayed, q.counts.active, q.counts.finished, q.counts.dead].map(String),
          q.counts.paused ? 'yes' : 'no',
          String(q.minutes.at(-2)?.completed ?? 0),
        ]);
      return { json: all, text: all.length ? table(rows) : 'no queues' };
    },
  },
  {
    words: ['queue'],
    usage: [
      'queue stats <name>                    counts and the last 10 minutes of one queue',
      'queue enqueue <name> --data JSON [--priority P] [--delay MS] [--attempts N]',
      'queue retry <name> (--all | <taskId>)',
      'queue purge <name> --state waiting|delayed|finished|dead [--confirm NAME]',
    ],
    flags: {
      data: { type: 'string' },
      priority: { type: 'string' },
      delay: { type: 'string' },
      attempts: { type: 'string' },
      all: { type: 'boolean' },
      state: { type: 'string' },
      confirm: { type: 'string' },
    },
    async run([, action, name, taskId], ctx) {
      if (!name) throw new UsageError(`queue ${action ?? ''} needs a queue name`.replace('  ', ' '));
      const confirm = stringFlag(ctx.flags, 'confirm');
      switch (action) {
        case 'stats': {
          const profile = await connectTarget(ctx);
          const s = await ctx.api.call('queues.summary', { profileId: profile.id, queue: name, minutes: 10 });
          const c = s.counts;
          const lines = [
            `queue ${name}${c.paused ? ' (paused)' : ''}: waiting ${c.waiting}, delayed ${c.delayed}, active ${c.active}, finished ${c.finished}, dead ${c.dead}`,
            `lifetime: enqueued ${c.lifetime.enqueued}, completed ${c.lifetime.completed}, retried ${c.lifetime.retried}, stalled ${c.lifetime.stalled}, dead ${c.lifetime.dead}`,
            '',
            table([
              ['MINUTE', 'ENQUEUED', 'COMPLETED', 'FAILED', 'WAIT', 'PROCESS'],
              ...s.minutes.map((m) => [
                new Date(m.at).toISOString().slice(11, 16),
                String(m.enqueued),
                String(m.completed),
                String(m.failed),
                m.waitMsAvg === undefined ? '-' : `${m.waitMsAvg.toFixed(1)} ms`,
                m.processMsAvg === undefined ? '-' : `${m.processMsAvg.toFixed(1)} ms`,
              ]),
            ]),
          ];
          return { json: s, text: lines.join('\n') };
        }
        case 'enqueue': {
          const raw = stringFlag(ctx.flags, 'data');
          if (raw === undefined) throw new UsageError('queue enqueue needs --data JSON');
          let data: unknown;
          try {
            data = JSON.parse(raw);
          } catch {
            throw new SwarmdeckError('VALIDATION', '--data is not valid JSON');
          }
          const p = stringFlag(ctx.flags, 'priority');
          const priority = p === undefined ? undefined : /^\d+$/.test(p) ? Number(p) : p;
          // Flags are checked before anything connects, so a typo never costs a round trip.
          const delayMs = intFlag(ctx.flags.delay, '--delay');
          const maxAttempts = intFlag(ctx.flags.attempts, '--attempts');
          const profile = await connectTarget(ctx);
          const created = await ctx.api.call('queues.enqueue', {
            profileId: profile.id,
            queue: name,
            // The contract validates the priority's name; the CLI only passes it on.
            task: { data, priority: priority as never, delayMs, maxAttempts },
          });
          return { json: created, text: `enqueued ${created.id} (${created.state})` };
        }
        case 'retry': {
          if (!ctx.flags.all && !taskId) throw new UsageError('queue retry needs --all or a task id');
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('queues.action', {
            profileId: profile.id,
            queue: name,
            action: ctx.flags.all ? 'retryAll' : 'retry',
            id: taskId,
            confirm,
          });
          return { json: r, text: `retried ${r.affected} task${r.affected === 1 ? '' : 's'}` };
        }
        case 'purge': {
          const state = PURGE_STATES.find((s) => s === ctx.flags.state);
          if (!state) throw new UsageError('queue purge needs --state waiting|delayed|finished|dead');
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('queues.action', { profileId: profile.id, queue: name, action: 'purge', state, confirm });
          return { json: r, text: `purged ${r.affected} ${state} task${r.affected === 1 ? '' : 's'}` };
        }
        default:
          throw new UsageError(action ? `unknown queue action "${action}"` : 'queue needs an action: stats, enqueue, retry, purge');
      }
    },
  },
];
