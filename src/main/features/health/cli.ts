import type { CliCommand } from '../../hosts/cli/command';
import { connectTarget, type Context } from '../../hosts/cli/context';
import { healthText } from '../../hosts/cli/output';

export const healthCommands: CliCommand<Context>[] = [
  {
    words: ['health'],
    usage: ['health                                nodes, latency, memory and alerts of one connection'],
    async run(_positionals, ctx) {
      const profile = await connectTarget(ctx);
      const h = await ctx.api.call('health.snapshot', { profileId: profile.id });
      return { json: h, text: healthText(h) };
    },
  },
];
