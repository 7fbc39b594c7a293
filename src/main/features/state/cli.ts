import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, intFlag, stringFlag, type Context } from '../../hosts/cli/context';

export const stateCommands: CliCommand<Context>[] = [
  {
    words: ['state'],
    usage: [
      'state get <key>                       the current value, its version and source',
      'state set <key> <value> [--expect-version N] [--ttl MS] [--source S] [--confirm KEY]',
      '                                      compare-and-set with --expect-version (0: must not exist)',
    ],
    flags: { 'expect-version': { type: 'string' }, confirm: { type: 'string' } },
    async run([, action, key, value], ctx) {
      if (!key) throw new UsageError(`state ${action ?? ''} needs a key`.replace('  ', ' '));
      switch (action) {
        case 'get': {
          const profile = await connectTarget(ctx);
          const { entry } = await ctx.api.call('state.get', { profileId: profile.id, key });
          if (!entry) return { json: null, text: `${key}: no value`, exitCode: 1 };
          return {
            json: entry,
            text: `${key} v${entry.version}${entry.source ? ` by ${entry.source}` : ''}${entry.ttlMs === undefined ? '' : ` (expires in ${(entry.ttlMs / 1000).toFixed(1)} s)`}\n${entry.value}`,
          };
        }
        case 'set': {
          if (value === undefined) throw new UsageError('state set needs a value');
          const expectVersion = intFlag(ctx.flags['expect-version'], '--expect-version');
          const ttlMs = intFlag(ctx.flags.ttl, '--ttl');
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('state.set', {
            profileId: profile.id,
            key,
            value,
            expectVersion,
            ttlMs,
            source: stringFlag(ctx.flags, 'source') ?? `cli:${ctx.services.connections.session(profile.id).actor.user}`,
            confirm: stringFlag(ctx.flags, 'confirm'),
          });
          return { json: r, text: `${key} is now version ${r.version}` };
        }
        default:
          throw new UsageError(action ? `unknown state action "${action}"` : 'state needs an action: get, set');
      }
    },
  },
];
