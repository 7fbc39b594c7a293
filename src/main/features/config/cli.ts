import type { OpInput } from '../../../shared/contract';
import { SwarmdeckError } from '../../../shared/errors';
import { CONFIG_SCOPES, type ConfigScope } from '../../../shared/model/config';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, findProfile, intFlag, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';

function scopeOf(word: string | undefined): ConfigScope {
  const scope = CONFIG_SCOPES.find((s) => s === word);
  if (!scope) throw new UsageError(`config needs a scope: ${CONFIG_SCOPES.join(', ')}`);
  return scope;
}

/** The other environment of diff and promote: a saved profile, connected with its stored password. */
async function other(ctx: Context): Promise<{ id: string; name: string }> {
  const to = stringFlag(ctx.flags, 'to');
  if (to === undefined) throw new UsageError('give the other environment with --to PROFILE');
  const profile = await findProfile(ctx, to);
  await ctx.api.call('connections.connect', { profileId: profile.id });
  return profile;
}

const show = (v: unknown): string => (v === undefined ? '-' : JSON.stringify(v));

export const configCommands: CliCommand<Context>[] = [
  {
    words: ['config'],
    usage: [
      "config get <scope>                    the scope's document (defaults when never set)",
      'config set <scope> <json> [--expect-version N] [--reason TEXT] [--confirm SCOPE]',
      'config diff <scope> --to PROFILE      this environment against another, field by field',
      'config promote <scope> --to PROFILE [--reason TEXT] [--confirm SCOPE]',
      'config rollback <scope> <version> [--reason TEXT] [--confirm SCOPE]',
      `  scopes: ${CONFIG_SCOPES.join(', ')}`,
    ],
    flags: { to: { type: 'string' }, reason: { type: 'string' }, 'expect-version': { type: 'string' }, confirm: { type: 'string' } },
    async run([, action, scopeWord, arg], ctx) {
      const scope = scopeOf(scopeWord);
      const reason = stringFlag(ctx.flags, 'reason');
      const confirm = stringFlag(ctx.flags, 'confirm');
      switch (action) {
        case 'get': {
          const profile = await connectTarget(ctx);
          const entry = await ctx.api.call('config.get', { profileId: profile.id, scope });
          return {
            json: entry,
            text: `${scope} version ${entry.version}${entry.version === 0 ? ' (defaults)' : ''}\n${JSON.stringify(entry.value, null, 2)}`,
          };
        }
        case 'set': {
          if (arg === undefined) throw new UsageError('config set needs the document as JSON');
          let value: unknown;
          try {
            value = JSON.parse(arg);
          } catch {
            throw new SwarmdeckError('VALIDATION', 'value: the document is not valid JSON', {
              fields: [{ path: 'value', message: 'not valid JSON' }],
            });
          }
          const expectVersion = intFlag(ctx.flags['expect-version'], '--expect-version');
          const profile = await connectTarget(ctx);
          // The operator's JSON is checked against the scope's schema by the contract, like any caller's.
          const entry = await ctx.api.call('config.set', {
            profileId: profile.id,
            scope,
            value,
            expectVersion,
            reason,
            confirm,
          } as OpInput<'config.set'>);
          return { json: entry, text: `${scope} is now version ${entry.version}` };
        }
        case 'diff': {
          const profile = await connectTarget(ctx);
          const to = await other(ctx);
          const d = await ctx.api.call('config.diff', { profileId: profile.id, otherProfileId: to.id, scope });
          const rows = [['FIELD', profile.name, to.name], ...d.changes.map((c) => [c.path, show(c.left), show(c.right)])];
          return {
            json: d,
            text: d.changes.length
              ? table(rows)
              : `${scope} is the same in ${profile.name} (version ${d.left.version}) and ${to.name} (version ${d.right.version})`,
          };
        }
        case 'promote': {
          const profile = await connectTarget(ctx);
          const to = await other(ctx);
          const entry = await ctx.api.call('config.promote', { fromProfileId: profile.id, toProfileId: to.id, scope, reason, confirm });
          return { json: entry, text: `${scope} promoted from ${profile.name} to ${to.name}: version ${entry.version}` };
        }
        case 'rollback': {
          const version = intFlag(arg, 'version');
          if (version === undefined) throw new UsageError('config rollback needs the version to restore');
          const profile = await connectTarget(ctx);
          const entry = await ctx.api.call('config.rollback', { profileId: profile.id, scope, version, reason, confirm });
          return { json: entry, text: `${scope} version ${version} restored as version ${entry.version}` };
        }
        default:
          throw new UsageError(action ? `unknown config action "${action}"` : 'config needs an action: get, set, diff, promote, rollback');
      }
    },
  },
];
