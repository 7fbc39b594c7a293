import { describe, expect, it } from 'vitest';
import { buildCatalogue } from '../../src/main/features/console/catalogue';
import snapshot from '../../src/shared/redis-commands.snapshot.json' with { type: 'json' };
import {
  activeArgument,
  argText,
  CommandIndex,
  signature,
  splitWords,
  suggest,
  type Suggestion,
} from '../../src/renderer/src/features/console/redis-language';

// The catalogue the editor gets before connecting: built from Redis 7's own COMMAND DOCS/INFO replies.
const index = new CommandIndex(buildCatalogue('snapshot', snapshot.version, snapshot.docs, snapshot.info));
const inserts = (before: string): string[] => suggest(index, before).suggestions.map((s: Suggestion) => s.insert);
const command = (name: string) => {
  const c = index.byName.get(name);
  if (!c) throw new Error(`${name} is not in the catalogue`);
  return c;
};

describe('the console editor reads Redis from the catalogue', () => {
  it('completes command names from the first word, case-insensitively', () => {
    expect(inserts('hgeta')).toEqual(['HGETALL']);
    expect(inserts('XR')).toEqual(['XRANGE', 'XREAD', 'XREADGROUP', 'XREVRANGE']);
  });

  it('completes subcommands after a container command, without the container', () => {
    const subs = inserts('CLIENT ');
    expect(subs).toContain('LIST');
    expect(subs).toContain('KILL');
    expect(inserts('config g')).toEqual(['GET']);
  });

  it("offers a command's tokens, once each, and the value the cursor stands on", () => {
    const afterValue = suggest(index, 'SET k v ').suggestions;
    const tokens = afterValue.filter((s) => s.kind === 'token').map((s) => s.insert);
    expect(tokens).toEqual(expect.arrayContaining(['NX', 'XX', 'GET', 'EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL']));
    expect(inserts('SET k v NX ')).not.toContain('NX');
    expect(suggest(index, 'SET ').suggestions[0]).toMatchObject({ kind: 'value', insert: 'key' });
    expect(inserts('ZADD z ')).toContain('INCR');
  });

  it('moves the signature to the argument a token introduces', () => {
    const set = command('SET');
    const sig = signature(set);
    expect(sig.label.startsWith('SET key value')).toBe(true);
    const expiration = set.args.findIndex((a) => (a.args ?? []).some((x) => x.token === 'EX'));
    expect(activeArgument(set, ['k', 'v', 'EX'])).toBe(expiration);
    expect(activeArgument(set, ['k'])).toBe(1);
    // A repeating argument keeps the cursor: DEL key [key …].
    expect(activeArgument(command('DEL'), ['a', 'b', 'c'])).toBe(0);
  });

  it('renders arguments as the Redis docs write them', () => {
    const zadd = command('ZADD');
    expect(zadd.args.map(argText).join(' ')).toContain('[NX | XX]');
    expect(argText(command('DEL').args[0] as never)).toBe('key [key …]');
  });

  it('splits a line like redis-cli: quotes group words, escapes stay inside', () => {
    expect(splitWords('SET "a b" \'c d\' "x\\"y"').map((w) => w.text)).toEqual(['SET', 'a b', 'c d', 'x"y']);
  });
});
