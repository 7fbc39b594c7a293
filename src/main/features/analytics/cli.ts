import { resolve } from 'node:path';
import { seriesLabel } from '../../../shared/analytics/report';
import { SwarmdeckError } from '../../../shared/errors';
import { RESOLUTIONS, type Resolution, type Tags } from '../../../shared/model/metrics';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, intFlag, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';
import { writeFileDurably } from '../../durable-file';
import { operatorFileMode } from '../../private-files';
import { isLoopback, parseListen, startExporter } from './exporter';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `24h`, `7d`: how far back a window starts. */
export function parseSince(raw: string | undefined, fallback: string): number {
  const text = raw ?? fallback;
  const m = /^(\d{1,6})([smhd])$/.exec(text);
  if (!m?.[1] || !m[2])
    throw new SwarmdeckError('VALIDATION', `--since must be a number and s, m, h or d (e.g. 1h), got "${text}"`, {
      fields: [{ path: 'since', message: 'e.g. 15m, 1h, 7d' }],
    });
  return Number(m[1]) * (UNIT_MS[m[2]] ?? 0);
}

/** Every `--tag k=v` given; the contract validates names and values. */
export function parseTags(raw: unknown): Tags | undefined {
  const all = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : typeof raw === 'string' ? [raw] : [];
  if (all.length === 0) return undefined;
  const tags: Tags = {};
  for (const t of all) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag takes name=value, got "${t}"`);
    tags[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return tags;
}

/**
 * The exporter's bearer token, from the environment variable `--token-env` names: a token on
 * the command line would be readable by every user of the machine (ps, /proc/<pid>/cmdline).
 */
function tokenFromEnv(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new UsageError(`--token-env takes the name of an environment variable (the token is read from it), got "${name}"`);
  const token = process.env[name];
  if (token === undefined) throw new UsageError(`--token-env ${name}: that environment variable is not set`);
  // A bearer token is one HTTP token68 word; anything else could never be sent back to match.
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token))
    throw new UsageError(`--token-env ${name}: the token must be non-empty letters, digits and -._~+/ (a bearer token), without spaces`);
  return token;
}

function resolutionFlag(raw: string | undefined): Resolution {
  if (raw === undefined) return '1m';
  const r = RESOLUTIONS.find((x) => x === raw);
  if (!r) throw new UsageError(`--resolution is one of ${RESOLUTIONS.join(', ')}, got "${raw}"`);
  return r;
}

const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
const iso = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 19);

export const analyticsCommands: CliCommand<Context>[] = [
  {
    words: ['metrics'],
    usage: [
      'metrics record <series> <value> [--tag k=v]…   one sample, written at once',
      'metrics query <series> [--since 1h] [--resolution 1s|1m|1h] [--tag k=v]…',
      'metrics series                        every recorded series and its tag sets',
    ],
    flags: { tag: { type: 'string', multiple: true }, since: { type: 'string' }, resolution: { type: 'string' } },
    async run([, action, series, value], ctx) {
      const tags = parseTags(ctx.flags.tag as unknown);
      switch (action) {
        case 'record': {
          if (!series || value === undefined) throw new UsageError('metrics record needs a series and a value');
          const v = Number(value);
          if (value.trim() === '' || !Number.isFinite(v))
            throw new SwarmdeckError('VALIDATION', `The value must be a finite number, got "${value}"`, {
              fields: [{ path: 'value', message: 'Not a number' }],
            });
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('metrics.record', { profileId: profile.id, series, value: v, ...(tags ? { tags } : {}) });
          return { json: r, text: `recorded ${num(v)} in ${r.series}` };
        }
        case 'query': {
          if (!series) throw new UsageError('metrics query needs a series');
          const to = Date.now() + 1;
          const from = to - 1 - parseSince(stringFlag(ctx.flags, 'since'), '1h');
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('metrics.query', {
            profileId: profile.id,
            series,
            from,
            to,
            resolution: resolutionFlag(stringFlag(ctx.flags, 'resolution')),
            ...(tags ? { tags } : {}),
          });
          const rows = [
            ['BUCKET', 'COUNT', 'AVG', 'MIN', 'MAX', 'P50', 'P95', 'P99'],
            ...r.buckets.map((b) => [
              iso(b.start),
              String(b.count),
              num(b.avg),
              num(b.min),
              num(b.max),
              num(b.p50),
              num(b.p95),
              num(b.p99),
            ]),
          ];
          return {
            json: r,
            text: r.buckets.length
              ? `${seriesLabel(series, r.tags)} at ${r.resolution}\n${table(rows)}`
              : `no samples of ${seriesLabel(series, r.tags)} in the window`,
          };
        }
        case 'series': {
          const profile = await connectTarget(ctx);
          const all = await ctx.api.call('metrics.series', { profileId: profile.id });
          return {
            json: all,
            text: all.length
              ? all.flatMap((s) => (s.tagSets.length ? s.tagSets : [{}]).map((t) => seriesLabel(s.series, t))).join('\n')
              : 'no series recorded',
          };
        }
        default:
          throw new UsageError('metrics needs an action: record, query or series');
      }
    },
  },
  {
    words: ['report'],
    usage: ['report [--since 24h] --out report.html   analysis and charts as one self-contained HTML file'],
    flags: { since: { type: 'string' }, out: { type: 'string' } },
    async run(_positionals, ctx) {
      const out = stringFlag(ctx.flags, 'out');
      if (!out && !ctx.flags.json) throw new UsageError('report needs --out FILE (or --json for the analysis alone)');
      const to = Date.now();
      const from = to - parseSince(stringFlag(ctx.flags, 'since'), '24h');
      const profile = await connectTarget(ctx);
      const job = await ctx.api.call('analytics.report', { profileId: profile.id, from, to });
      await ctx.services.jobs.settled(job.id);
      const { report, html } = await ctx.api.call('analytics.reportResult', { jobId: job.id });
      let path: string | undefined;
      if (out) {
        path = resolve(out);
        // A report saved into the home is the home's (0600); elsewhere the operator's umask decides.
        await writeFileDurably(path, html, { mode: operatorFileMode(ctx.home, path), privateFolder: false });
      }
      const a = report.result;
      const top = a.recommendations.slice(0, 5).map((r) => `  ${r.rank}. [${r.severity}] ${r.action}`);
      const text = [
        `${path ? `report written to ${path}: ` : ''}${report.seriesRead} series, ${a.findings.length} findings, ${a.forecasts.length} forecasts`,
        ...(top.length ? ['recommendations:', ...top] : ['nothing to recommend']),
      ].join('\n');
      return { json: path ? { ...report, file: path } : report, text };
    },
  },
  {
    words: ['alerts'],
    usage: ['alerts list [--count N]               firing alerts, then the latest resolved', 'alerts ack <id> [--confirm NAME]'],
    flags: { count: { type: 'string' }, confirm: { type: 'string' } },
    async run([, action, id], ctx) {
      if (action !== 'list' && action !== 'ack') throw new UsageError('alerts needs an action: list or ack');
      if (action === 'ack' && !id) throw new UsageError('alerts ack needs an alert id (see "alerts list")');
      const profile = await connectTarget(ctx);
      if (action === 'list') {
        const all = await ctx.api.call('alerts.list', { profileId: profile.id, count: intFlag(ctx.flags.count, '--count') ?? 50 });
        const rows = [
          ['ID', 'STATE', 'SEVERITY', 'FIRED', 'ACKED', 'MESSAGE'],
          ...all.map((a) => [a.id, a.state, a.severity, iso(a.firedAt), a.acknowledgedAt ? iso(a.acknowledgedAt) : '-', a.message]),
        ];
        return { json: all, text: all.length ? table(rows) : 'no alerts' };
      }
      const a = await ctx.api.call('alerts.ack', { profileId: profile.id, id: id ?? '', confirm: stringFlag(ctx.flags, 'confirm') });
      return { json: a, text: `acknowledged ${a.id}: ${a.message}` };
    },
  },
  {
    words: ['exporter'],
    usage: [
      'exporter [--listen 127.0.0.1:9464] [--token-env VAR]',
      '                                      serve swarm, queue, node and recorded series to Prometheus until Ctrl-C;',
      '                                      --token-env: every scrape must send "Authorization: Bearer" and the token in $VAR',
    ],
    flags: { listen: { type: 'string' }, 'token-env': { type: 'string' } },
    async run(_positionals, ctx) {
      const at = parseListen(stringFlag(ctx.flags, 'listen') ?? '127.0.0.1:9464');
      const token = tokenFromEnv(stringFlag(ctx.flags, 'token-env'));
      const profile = await connectTarget(ctx);
      const { server, url } = await startExporter(ctx.api, profile.id, at, { token });
      // The figures carry no secrets, but queue and swarm names are the operator's business.
      if (!isLoopback(at.host) && token === undefined)
        process.stderr.write(`swarmdeck: the exporter listens beyond this machine (${at.host}) without authentication (see --token-env)\n`);
      process.stderr.write(`swarmdeck: serving ${url} for ${profile.name} (Ctrl-C stops)\n`);
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close(() => done());
          server.closeAllConnections();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      return { json: { url, stopped: true }, text: 'exporter stopped' };
    },
  },
];
