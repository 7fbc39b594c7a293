import type { ConsoleCommandResult, ReplyNode } from '../../../shared/model/console';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, stringFlag, type Context } from '../../hosts/cli/context';

/** A reply the way redis-cli prints it, so the CLI reads like the tool operators know. */
export function renderReply(node: ReplyNode, indent = ''): string {
  switch (node.type) {
    case 'nil':
      return '(nil)';
    case 'integer':
      return `(integer) ${node.value}`;
    case 'error':
      return `(error) ${node.message}`;
    case 'string':
      return `${JSON.stringify(node.value)}${node.truncated ? ` … (${node.bytes} bytes, cut; --full loads it all)` : ''}`;
    case 'binary':
      return `"${node.preview}"${node.truncated ? ` … (${node.bytes} bytes, cut; --full loads it all)` : ''}`;
    case 'array':
    case 'map': {
      const rows =
        node.type === 'array'
          ? node.items.map((item) => renderReply(item, `${indent}   `))
          : node.entries.map((e) => `${renderReply(e.key)} => ${renderReply(e.value, `${indent}   `)}`);
      if (node.length === 0) return node.type === 'array' ? '(empty array)' : '(empty map)';
      const width = String(node.length).length;
      const lines = rows.map((row, i) => `${i === 0 ? '' : indent}${String(i + 1).padStart(width)}) ${row}`);
      if (node.truncated) lines.push(`${indent}… ${node.length - rows.length} more (--full loads them all)`);
      return lines.join('\n');
    }
  }
}

function renderResult(result: ConsoleCommandResult): string {
  if (result.replies.length === 1) return renderReply(result.replies[0]?.reply ?? { type: 'nil' });
  return result.replies.map((r) => `--- ${r.node ?? '?'}${r.role ? ` (${r.role})` : ''}\n${renderReply(r.reply)}`).join('\n');
}

export const consoleCommands: CliCommand<Context>[] = [
  {
    words: ['exec'],
    usage: ['exec "<command>" [--node H:P] [--confirm NAME] [--full]   run Redis commands through the guarded console (one per line)'],
    flags: { node: { type: 'string' }, confirm: { type: 'string' }, full: { type: 'boolean' } },
    async run([, line], ctx) {
      if (!line?.trim()) throw new UsageError('exec needs a command, e.g. swarmdeck exec "GET key" --profile NAME');
      const profile = await connectTarget(ctx);
      const node = stringFlag(ctx.flags, 'node');
      const out = await ctx.api.call('console.exec', {
        profileId: profile.id,
        line,
        node,
        confirm: stringFlag(ctx.flags, 'confirm'),
        full: ctx.flags.full === true,
      });
      const texts: string[] = [];
      for (const result of out.results) {
        if (result.offer?.op === 'console.keys') {
          // KEYS blocks the server while it walks every key: the CLI takes the console's offer of a SCAN.
          const keys = await ctx.api.call('console.keys', { profileId: profile.id, pattern: result.offer.pattern, node });
          texts.push(
            `(KEYS answered by SCAN: ${keys.keys.length} key(s)${keys.complete ? '' : ', stopped at the budget'})`,
            ...keys.keys.map((k, i) => `${i + 1}) ${k}`),
          );
        } else if (result.offer?.op === 'console.monitor') {
          texts.push("(MONITOR runs as a job with a time and count limit: use the Console's Profiler in the app)");
        } else texts.push(renderResult(result));
      }
      return { json: out, text: texts.join('\n') };
    },
  },
];
