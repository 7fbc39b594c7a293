import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCRIPT_ERRORS, scriptError } from '../../src/main/redis/script-registry';

const ROOT = resolve(import.meta.dirname, '../..');
const FOLDERS = ['src/main/features/queues/lua', 'src/main/features/swarms/lua'];
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

  it('raise only codes of the one table, and every code of the table is raised somewhere', () => {
    const raised = new Set(luaFiles.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'(SD_[A-Z_]+)[ ']/g)].map((m) => m[1])));
    expect([...raised].sort()).toEqual(Object.keys(SCRIPT_ERRORS).sort());
  });

  it('raise no error without a code', () => {
    for (const file of luaFiles) {
      for (const call of readFileSync(file, 'utf8').matchAll(/error_reply\(([^)]*)/g))
        expect(call[1], file).toMatch(/^'SD_[A-Z_]+ |^code /);
    }
  });

  it('each declare KEYS, ARGV, the reply and why the transition must be atomic', () => {
    const transitions = luaFiles.filter((f) => !/(includes|proposals)\.lua$/.test(f));
    expect(transitions.length).toBe(22);
    for (const file of transitions) {
      const header = /^--\[\[([\s\S]*?)\]\]/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
      for (const part of ['KEYS:', 'ARGV:', 'Reply:', 'Atomic because']) expect(header, `${file}: ${part}`).toContain(part);
    }
  });
});

describe('script errors', () => {
  it('take their code from the table and keep the sentence whole', () => {
    expect(scriptError(new Error('SD_CONFLICT agent is already registered'))).toMatchObject({
      code: 'CONFLICT',
      message: 'agent is already registered',
    });
    expect(scriptError(new Error('SD_INVALID swarm is not an eligible voter'))).toMatchObject({
      code: 'VALIDATION',
      message: 'swarm is not an eligible voter',
    });
  });

  it('leave anything else Redis says as a Redis error, word for word', () => {
    for (const text of [
      'CONFLICT a bare word is not a code',
      'ERR user_script:3: attempt to compare nil with number',
      'NOSCRIPT No matching script',
      'toString the Object prototype is no code',
    ]) {
      expect(scriptError(new Error(text))).toMatchObject({ code: 'REDIS_ERROR', message: text });
    }
  });
});
