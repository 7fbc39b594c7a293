import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, intFlag, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';

const firstTag = (flags: Context['flags']): string | undefined => {
  const tag: unknown = flags.tag;
  return Array.isArray(tag) ? (tag[0] as string | undefined) : typeof tag === 'string' ? tag : undefined;
};

export const memoryCommands: CliCommand<Context>[] = [
  {
    words: ['memory'],
    usage: ['memory search <agent|shared> <text> [--namespace NS] [--tag T] [--key-prefix P] [--count N] [--cursor C]'],
    flags: {
      namespace: { type: 'string' },
      tag: { type: 'string', multiple: true },
      'key-prefix': { type: 'string' },
      count: { type: 'string' },
      cursor: { type: 'string' },
    },
    async run([, action, agent, text], ctx) {
      if (action !== 'search') throw new UsageError('memory needs an action: search');
      if (!agent || text === undefined)
        throw new UsageError('memory search needs an agent (or "shared") and the text to find ("" for every entry)');
      const count = intFlag(ctx.flags.count, '--count');
      const profile = await connectTarget(ctx);
      const page = await ctx.api.call('memory.search', {
        profileId: profile.id,
        ...(agent === 'shared' ? {} : { agent }),
        namespace: stringFlag(ctx.flags, 'namespace') ?? 'default',
        ...(text === '' ? {} : { text }),
        tag: firstTag(ctx.flags),
        prefix: stringFlag(ctx.flags, 'key-prefix'),
        cursor: stringFlag(ctx.flags, 'cursor'),
        count,
      });
      const rows = [['KEY', 'VERSION', 'UPDATED', 'BY', 'TAGS', 'VALUE']];
      for (const e of page.entries)
        rows.push([
          e.key,
          String(e.version),
          new Date(e.updatedAt).toISOString(),
          e.updatedBy,
          e.tags.join(','),
          e.value.length > 60 ? `${e.value.slice(0, 57)}...` : e.value,
        ]);
      const more = page.cursor ? `\nmore: --cursor ${page.cursor}` : '';
      return { json: page, text: page.entries.length ? `${table(rows)}${more}` : `no entries${more}` };
    },
  },
];
