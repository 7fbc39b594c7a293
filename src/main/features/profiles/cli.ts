import { SwarmdeckError } from '../../../shared/errors';
import { ENVIRONMENTS, describeTopology, editableFields, type Environment } from '../../../shared/model/profile';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { findProfile, passwordFromFlag, resolveTarget, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';
import { adHocProfile } from './ad-hoc-profile';

export const profilesCommands: CliCommand<Context>[] = [
  {
    words: ['profiles'],
    usage: [
      'profiles list                         list saved profiles',
      'profiles add <name> --url U | --cluster H:P[,H:P…] [--env development|staging|production] [--read-only]',
      'profiles remove <name|id> [--confirm NAME]   (production: type the profile name)',
      'profiles test [<name|id>]             test a saved profile, or the ad hoc connection flags',
    ],
    flags: { env: { type: 'string' }, 'read-only': { type: 'boolean' }, confirm: { type: 'string' } },
    async run([, action, arg], ctx) {
      switch (action) {
        case 'list': {
          const all = await ctx.api.call('profiles.list', {});
          const rows = [['NAME', 'ID', 'ENVIRONMENT', 'TARGET', 'FLAGS']];
          for (const p of all)
            rows.push([
              p.name,
              p.id,
              p.environment,
              describeTopology(p.topology),
              [p.readOnly ? 'read-only' : '', p.tls.enabled ? 'tls' : ''].filter(Boolean).join(','),
            ]);
          return { json: all, text: all.length ? table(rows) : 'no profiles yet; add one with "swarmdeck profiles add"' };
        }
        case 'add': {
          if (!arg) throw new UsageError('profiles add needs a name');
          const env = (stringFlag(ctx.flags, 'env') ?? 'development') as Environment;
          if (!ENVIRONMENTS.includes(env)) throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')}`);
          const f = ctx.flags;
          const draft = editableFields(
            adHocProfile({
              name: arg,
              url: f.url,
              cluster: f.cluster,
              tlsCa: f['tls-ca'],
              tlsCert: f['tls-cert'],
              tlsKey: f['tls-key'],
              insecure: f.insecure,
              prefix: f.prefix,
              readOnly: f['read-only'] === true,
            }),
          );
          const password = passwordFromFlag(ctx.flags);
          const saved = await ctx.api.call('profiles.save', {
            profile: { ...draft, environment: env },
            ...(password !== undefined ? { password } : {}),
          });
          return { json: saved, text: `added profile "${saved.name}" (${saved.id}) → ${describeTopology(saved.topology)}` };
        }
        case 'remove': {
          if (!arg) throw new UsageError('profiles remove needs a name or id');
          const profile = await findProfile(ctx, arg);
          await ctx.api.call('profiles.remove', { id: profile.id, confirm: stringFlag(ctx.flags, 'confirm') });
          return { json: { removed: profile.id }, text: `removed profile "${profile.name}"` };
        }
        case 'test': {
          const target = await resolveTarget(ctx, arg);
          const profile = editableFields(target.profile);
          const result = await ctx.api.call('profiles.test', {
            profile,
            ...(target.password !== undefined
              ? { password: target.password }
              : target.saved
                ? { storedPasswordOf: target.profile.id }
                : {}),
          });
          const text = result.steps
            .map((s) => `${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(7)} ${s.ms.toFixed(1).padStart(7)} ms  ${s.message}`)
            .join('\n');
          if (!result.ok) {
            const failed = result.steps.find((s) => !s.ok);
            throw new SwarmdeckError(failed?.code ?? 'REDIS_ERROR', failed?.message ?? 'connection test failed', {
              step: failed?.step,
              result,
            });
          }
          return { json: result, text };
        }
        default:
          throw new UsageError(action ? `unknown profiles action "${action}"` : 'profiles needs an action: list, add, remove, test');
      }
    },
  },
];
