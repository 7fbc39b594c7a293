import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_APPLIED_REASONS, appliedReply, decodeReply, refusalError, scriptError } from '../../src/main/redis/script-registry';

const ROOT = resolve(import.meta.dirname, '../..');
// Every feature's lua/ folder: a new one is held to the same rules without being listed.
const FOLDERS = readdirSync(join(ROOT, 'src/main/features'))
  .map((feature) => `src/main/features/${feature}/lua`)
  .filter((folder) => existsSync(join(ROOT, folder)));
const luaFiles = FOLDERS.flatMap((folder) =>
  readdirSync(join(ROOT, folder))
    .filter((f) => f.endsWith('.lua'))
    .map((f) => join(ROOT, folder, f)),
);

describe('Lua scripts', () => {
  it('are embedded as they are on disk (run node scripts/build-lua.mjs after editing one)', () => {
    const check = spawnSync(process.execPath, [join(ROOT, 'scripts/build-lua.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('decline only with reasons of the one table, and every reason of the table is used somewhere', () => {
    const declined = luaFiles.flatMap((file) => [
      ...[...readFileSync(file, 'utf8').matchAll(/'not-applied', '([a-z-]+)'/g)].map((m) => m[1]),
      ...[...readFileSync(file, 'utf8').matchAll(/refuse\('([a-z-]+)'/g)].map((m) => m[1]),
    ]);
    expect([...new Set(declined)].sort()).toEqual(Object.keys(NOT_APPLIED_REASONS).sort());
  });

  it('never answer an error reply, a negative number or a prefixed string for "not applied"', () => {
    for (const file of luaFiles) {
      const text = readFileSync(file, 'utf8');
      // Every other way Lua can say no: an error reply or table, a raised error, a prefixed string, a bare reason.
      expect(text, file).not.toMatch(
        /error_reply|\{\s*err\s*=|\berror\s*\(|'skip:|return -1 -|return \{\s*['"](conflict|not-found|invalid|lease-lost)['"]/,
      );
    }
  });

  it('each declare KEYS, ARGV, the reply and why the transition must be atomic', () => {
    const transitions = luaFiles.filter((f) => !/(includes|proposals)\.lua$/.test(f));
    expect(transitions.length).toBeGreaterThanOrEqual(45); // a floor, so that a feature adding a script changes nothing here
    for (const file of transitions) {
      const header = /^--\[\[([\s\S]*?)\]\]/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
      for (const part of ['KEYS:', 'ARGV:', 'Reply:', 'Atomic because']) expect(header, `${file}: ${part}`).toContain(part);
    }
  });
});

describe('script replies', () => {
  it('decode a refusal into its reason, its sentence and its detail', () => {
    expect(decodeReply(['not-applied', 'conflict', 'another version is current', 7, 'v'])).toEqual({
      applied: false,
      reason: 'conflict',
      sentence: 'another version is current',
      detail: [7, 'v'],
    });
    // A Buffer-reply script's marker is bytes; a nested list that stringifies alike is a reply, not a refusal.
    expect(decodeReply([Buffer.from('not-applied'), Buffer.from('conflict'), Buffer.from('too large')])).toMatchObject({
      applied: false,
      reason: 'conflict',
      sentence: 'too large',
    });
    expect(decodeReply([['not-applied'], 'conflict', 'row'])).toEqual({ applied: true, reply: [['not-applied'], 'conflict', 'row'] });
    expect(refusalError({ reason: 'invalid', sentence: 'swarm is not an eligible voter', detail: [] })).toMatchObject({
      code: 'VALIDATION',
      message: 'swarm is not an eligible voter',
    });
    expect(() => appliedReply(['not-applied', 'lease-lost', 'Task t is gone'])).toThrow(
      expect.objectContaining({ code: 'LEASE_LOST', message: 'Task t is gone' }),
    );
  });

  it('pass every other reply through as it came, lists included', () => {
    for (const reply of [7, 'waiting', ['delayed', '250'], [], null, ['ok', 3]])
      expect(decodeReply(reply)).toEqual({ applied: true, reply });
  });

  it('refuse a reason outside the table instead of guessing', () => {
    expect(() => decodeReply(['not-applied', 'busy', 'who knows'])).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('leave anything Redis itself says as a Redis error, word for word', () => {
    for (const text of [
      'SD_CONFLICT an error reply is no refusal',
      'ERR user_script:3: attempt to compare nil with number',
      'NOSCRIPT No matching script',
      'toString the Object prototype is no code',
    ]) {
      expect(scriptError(new Error(text))).toMatchObject({ code: 'REDIS_ERROR', message: text });
    }
  });
});
