import type { RouteTarget } from '../../../shared/contract/messaging';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, stringFlag, type Context } from '../../hosts/cli/context';

/** `queue:NAME`, `stream:NAME` or `pubsub:CHANNEL`; the contract validates the name itself. */
function parseTarget(text: string): RouteTarget {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const name = text.slice(colon + 1);
  if (colon < 1 || name === '') throw new UsageError(`"${text}" is not a target: queue:NAME, stream:NAME or pubsub:CHANNEL`);
  if (kind === 'queue') return { kind, queue: name };
  if (kind === 'stream') return { kind, stream: name };
  if (kind === 'pubsub') return { kind, channel: name };
  throw new UsageError(`unknown target kind "${kind}": queue, stream or pubsub`);
}

export const messagingCommands: CliCommand<Context>[] = [
  {
    words: ['messages'],
    usage: [
      'messages publish <channel> <type> [payload] [--confirm CHANNEL]   one envelope (JSON payload as JSON)',
      'messages routes                       every route with the routes version',
      'messages route <name> <type-match> <queue:N|stream:N|pubsub:C> [--confirm NAME]   add or replace a route',
      'messages unroute <name> [--confirm NAME]   delete a route',
    ],
    flags: { confirm: { type: 'string' } },
    async run([, action, a, b, c], ctx) {
      const confirm = stringFlag(ctx.flags, 'confirm');
      switch (action) {
        case 'publish': {
          if (!a || !b) throw new UsageError('messages publish needs a channel and a type');
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('messages.publish', { profileId: profile.id, channel: a, type: b, payload: c ?? 'null', confirm });
          return { json: r, text: `published ${r.id}: ${r.receivers} subscriber(s)` };
        }
        case 'routes': {
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('messages.routes', { profileId: profile.id });
          const line = (t: RouteTarget): string =>
            t.kind === 'queue' ? `queue:${t.queue}` : t.kind === 'stream' ? `stream:${t.stream}` : `pubsub:${t.channel}`;
          return {
            json: r,
            text: [
              `routes version ${r.version}`,
              ...r.routes.map((x) => `${x.name}\t${x.match}\t→ ${line(x.target)}${x.filters ? `\t${JSON.stringify(x.filters)}` : ''}`),
            ].join('\n'),
          };
        }
        case 'route': {
          if (!a || !b || !c) throw new UsageError('messages route needs a name, a type match and a target');
          const target = parseTarget(c);
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('messages.routeSet', { profileId: profile.id, route: { name: a, match: b, target }, confirm });
          return { json: r, text: `route ${a} saved; routes version ${r.version}` };
        }
        case 'unroute': {
          if (!a) throw new UsageError('messages unroute needs a route name');
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('messages.routeDelete', { profileId: profile.id, name: a, confirm });
          return {
            json: r,
            text: r.deleted ? `route ${a} deleted; routes version ${r.version}` : `no route ${a}`,
            exitCode: r.deleted ? 0 : 1,
          };
        }
        default:
          throw new UsageError(
            action ? `unknown messages action "${action}"` : 'messages needs an action: publish, routes, route, unroute',
          );
      }
    },
  },
];
