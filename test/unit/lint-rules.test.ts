import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { getFileInfo } from 'prettier';
import { keySegments } from '../../eslint-rules/key-segments.js';
import { describeKeyspace } from '../../src/main/redis/keyspace';

const ROOT = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

/** Lints one line as if it lived at `path`, with the repository's own configuration. */
async function rulesBroken(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint rules', () => {
  describe("key strings are built only in the features' keys.ts", () => {
    const bad: [string, string][] = [
      ['a queue hash tag in a template', 'export const k = (p: string, n: string): string => `${p}:{q:${n}}:wait`;\n'],
      ['a swarm hash tag in a string', "export const k = 'sd:{s:alpha}:swarm';\n"],
      ['a state hash tag (three letters) in a template', 'export const k = (p: string, n: string): string => `${p}:{st:${n}}:cur`;\n'],
      ['the config hash tag', "export const k = 'sd:{cfg}:global';\n"],
      ['a claude-flow-novice key', "export const k = 'swarm:index';\n"],
      ['a claude-flow-novice key in a template', 'export const k = (id: string): string => `swarm:${id}`;\n'],
      ['a prefix glued to a key by hand', 'export const k = (prefix: string): string => `${prefix}:queues`;\n'],
      [
        'a key prefix concatenated with an id',
        'export const k = (keys: { taskPrefix: string }, id: string): string => keys.taskPrefix + id;\n',
      ],
      ['the audit stream after a prefix of any name', 'export const k = (p: string): string => `${p}:audit`;\n'],
      ['the queue registry after a prefix of any name', 'export const k = (p: string): string => `${p}:queues`;\n'],
      ['a key without a hash tag concatenated', "export const k = (p: string): string => p + ':restore-lock';\n"],
      ['a claude-flow-novice key concatenated', "export const k = (id: string): string => 'blocking:signal:' + id;\n"],
      ['a claude-flow-novice key in a template', 'export const k = (id: string): string => `coordinator:activity:${id}`;\n'],
      ['a claude-flow-novice key not under swarm:', "export const k = 'swarms:active';\n"],
      ['a hash tag assembled from pieces', "export const k = (id: string): string => '{' + 'q:' + id + '}';\n"],
    ];
    for (const path of [
      'src/main/features/queues/queue-service.ts',
      'test/integration/task-queue.test.ts',
      'bench/queue.ts',
      'scripts/screenshots.ts',
    ]) {
      for (const [what, line] of bad) {
        it(`fails ${what} in ${path}`, async () => {
          expect(await rulesBroken(path, line)).toContain('swarmdeck/no-key-literals');
        });
      }
    }

    it('accepts the same strings inside a feature keys.ts', async () => {
      for (const [, line] of bad)
        expect(await rulesBroken('src/main/features/locks/keys.ts', line)).not.toContain('swarmdeck/no-key-literals');
    });

    // The exemption is src/main/features/*/keys.ts and nothing else: not the composing module, not a keys.ts deeper down.
    for (const path of ['src/main/redis/keyspace.ts', 'src/main/features/locks/lua/keys.ts', 'src/main/keys.ts', 'test/unit/keys.ts']) {
      it(`fails the same strings in ${path}`, async () => {
        for (const [what, line] of bad) expect(await rulesBroken(path, line), what).toContain('swarmdeck/no-key-literals');
      });
    }

    // Derived from the keyspace's own description, so a tag a feature adds is refused without touching the rule.
    const { tags } = describeKeyspace();
    it('knows the tags of every feature, {msg} among them', () => {
      expect(tags).toContain('{msg}');
      expect(tags.length).toBeGreaterThanOrEqual(10);
    });
    for (const tag of tags) {
      const key = `${tag}${tag.endsWith(':') ? 'x}' : ''}:y`;
      it(`fails a literal of the hash tag ${tag} in a string and in a template`, async () => {
        const inString = `export const k = ${JSON.stringify(`sd:${key}`)};\n`;
        const inTemplate = `export const k = (p: string): string => \`\${p}x:${key}\`;\n`;
        for (const line of [inString, inTemplate])
          expect(await rulesBroken('src/main/features/queues/queue-service.ts', line), line).toContain('swarmdeck/no-key-literals');
      });
    }

    // The head of every key the keyspace lists (what begins it, or follows its prefix), also
    // derived, so the keys without a hash tag and claude-flow-novice's are refused too.
    const segments = keySegments(describeKeyspace().areas.flatMap((area) => area.keys.map((row) => row.key)));
    it('knows the head of every key, those without a hash tag among them', () => {
      for (const segment of [
        ':audit',
        ':queues',
        ':locks',
        ':restore-lock',
        ':mem:spaces',
        'blocking:signal:',
        'coordinator:activity:',
        'swarms:active',
      ])
        expect(segments).toContain(segment);
      const untagged = describeKeyspace().areas.flatMap((area) => area.keys.map((row) => row.key).filter((key) => !key.includes('{')));
      for (const key of untagged)
        expect(
          segments.some((segment) => key.replace(/^P/, '').startsWith(segment)),
          key,
        ).toBe(true);
    });
    for (const segment of segments) {
      it(`fails the key text ${segment} in a string and in a template`, async () => {
        const inString = `export const k = (p: string, id: string): string => p + ${JSON.stringify(segment)} + id;\n`;
        const inTemplate = `export const k = (p: string, id: string): string => \`\${p}${segment}\${id}\`;\n`;
        for (const line of [inString, inTemplate])
          expect(await rulesBroken('src/main/features/queues/queue-service.ts', line), line).toContain('swarmdeck/no-key-literals');
      });
    }

    it('accepts ordinary sentences that name what keys hold', async () => {
      const sentences = [
        "export const a = 'Audit: 3 entries';",
        'export const b = (n: number): string => `Queues: ${n} active`;',
        "export const c = 'swarm: 3 agents, swarms: active ones first';",
        'export const d = (who: string): string => `Restore-lock held by ${who}: wait for it`;',
        'export const e = (id: string): string => `blocking: signal ${id} lost; coordinator: activity stalled`;',
        'export const f = (what: string): string => `Cannot read ${what}: audit stream missing (locks: none)`;',
        "export { once } from 'node:events';",
        "export const g = 'plan:leader';",
      ];
      expect(await rulesBroken('src/main/features/queues/queue-service.ts', `${sentences.join('\n')}\n`)).toEqual([]);
    });

    // Only the repository's own tmp/ is scratch space: a folder named tmp under src is code like any other.
    it('lints a folder named tmp under src, and leaves the root tmp/ alone', async () => {
      const nested = 'src/main/features/queues/tmp/scratch.ts';
      expect(await rulesBroken(nested, 'export const k = (p: string): string => `${p}:audit`;\n')).toContain('swarmdeck/no-key-literals');
      expect(await eslint.isPathIgnored(resolve(ROOT, 'tmp/scratch.ts'))).toBe(true);
      const ignorePath = resolve(ROOT, '.prettierignore');
      expect((await getFileInfo(resolve(ROOT, nested), { ignorePath })).ignored).toBe(false);
      expect((await getFileInfo(resolve(ROOT, 'tmp/scratch.ts'), { ignorePath })).ignored).toBe(true);
    });

    it('accepts ordinary strings that merely contain a colon', async () => {
      expect(
        await rulesBroken(
          'src/main/features/queues/queue-service.ts',
          "export const k = `Queue ${'x'}: swarm: 3`;\nexport const u = 'redis://127.0.0.1:6379';\n",
        ),
      ).toEqual([]);
    });
  });

  describe('process boundaries', () => {
    it('fails the renderer importing main', async () => {
      expect(
        await rulesBroken(
          'src/renderer/src/pages/OverviewPage.tsx',
          "import { queueKeys } from '../../../main/redis/keyspace';\nexport const k = queueKeys;\n",
        ),
      ).toContain('no-restricted-imports');
    });

    it('fails the renderer importing a node: module', async () => {
      expect(
        await rulesBroken(
          'src/renderer/src/pages/OverviewPage.tsx',
          "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
        ),
      ).toContain('no-restricted-imports');
    });

    it('fails main importing electron outside src/main/electron/ and index.ts', async () => {
      expect(await rulesBroken('src/main/features/audit/audit.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain(
        'no-restricted-imports',
      );
    });

    it('accepts electron in src/main/electron/', async () => {
      expect(await rulesBroken('src/main/electron/window.ts', "import { app } from 'electron';\nexport const a = app;\n")).not.toContain(
        'no-restricted-imports',
      );
    });

    it('fails src/shared importing main', async () => {
      expect(
        await rulesBroken('src/shared/errors.ts', "import { queueKeys } from '../main/redis/keyspace';\nexport const k = queueKeys;\n"),
      ).toContain('no-restricted-imports');
    });
  });
});
