import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeKeyspace, KEYSPACE } from '../../src/main/redis/keyspace';
import type { KeyspaceArea } from '../../src/main/redis/keyspace-area';

const ROOT = resolve(import.meta.dirname, '../..');
const FEATURES = join(ROOT, 'src/main/features');
const KEY_MODULES = readdirSync(FEATURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(FEATURES, d.name)).includes('keys.ts'))
  .map((d) => d.name);

interface DocRow {
  key: string;
  builder: string;
  type: string;
}

/** Every row of the key tables of docs/keyspace.md (the tables whose first column is the key). */
function docRows(markdown: string): DocRow[] {
  const rows: DocRow[] = [];
  let inKeyTable = false;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      inKeyTable = false;
      continue;
    }
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    if (/^key( \/ channel)?$/.test(cells[0] ?? '')) inKeyTable = true;
    else if (inKeyTable && !/^-+$/.test(cells[0] ?? '')) {
      const code = (cell: string | undefined): string => /^`([^`]+)`$/.exec(cell ?? '')?.[1] ?? `(not one code span: ${cell})`;
      rows.push({ key: code(cells[0]), builder: code(cells[1]), type: cells[2] ?? '' });
    }
  }
  return rows;
}

const doc = docRows(readFileSync(join(ROOT, 'docs/keyspace.md'), 'utf8'));
const described = KEYSPACE.flatMap((area) =>
  area.keys.map((r) => ({ feature: area.feature, key: r.key(), builder: r.builder, type: r.type })),
);
const id = (r: { key: string; builder: string }): string => `${r.key}  ←  ${r.builder}`;

/** `queueKeys(P, N).task(id)` → `queueKeys.task`: the export and member a row's builder names. */
const pathOf = (builder: string): string => builder.replace(/\([^)]*\)/g, '');

/** Every key builder a keys module exports, by path: a function's name, or `name.member` for the members of what it returns. */
function buildersOf(module: Record<string, unknown>, area: KeyspaceArea): string[] {
  const helpers = new Set(area.helpers ?? []);
  const paths: string[] = [];
  for (const [name, value] of Object.entries(module)) {
    if (value === area || helpers.has(name)) continue;
    const made = typeof value === 'function' ? (value as (...args: string[]) => unknown)('P', 'A', 'B', 'C') : value;
    if (typeof made === 'string') paths.push(name);
    else if (made && typeof made === 'object')
      paths.push(...Object.keys(made).flatMap((member) => (helpers.has(`${name}.${member}`) ? [] : [`${name}.${member}`])));
    else throw new Error(`${name} of ${area.feature}/keys.ts makes neither a key nor a set of keys: declare it a helper`);
  }
  return paths;
}

describe('the keyspace', () => {
  it('is composed of every feature keys module, each once', async () => {
    const areas = await Promise.all(KEY_MODULES.map(async (f) => areaOf(await import(join(FEATURES, f, 'keys.ts')))));
    expect(areas.map((a) => a.feature).sort()).toEqual(KEY_MODULES.slice().sort());
    expect(KEYSPACE.map((a) => a.feature).sort()).toEqual(KEY_MODULES.slice().sort());
    for (const area of areas) expect(KEYSPACE).toContain(area);
  });

  it.each(KEY_MODULES)(
    '%s/keys.ts: every key builder it exports is a row of the description, every row and helper names one',
    async (f) => {
      const module = (await import(join(FEATURES, f, 'keys.ts'))) as Record<string, unknown>;
      const area = areaOf(module);
      const builders = buildersOf(module, area);
      const rows = new Set(area.keys.map((r) => pathOf(r.builder)));
      expect(
        builders.filter((b) => !rows.has(b)),
        'builders without a row',
      ).toEqual([]);
      expect(
        [...rows].filter((r) => !builders.includes(r)),
        'rows naming no builder',
      ).toEqual([]);
      const exported = new Set([...Object.keys(module), ...builders]);
      const known = (h: string): boolean => exported.has(h) || (h.includes('.') && typeof module[h.split('.')[0] as string] === 'object');
      expect(
        (area.helpers ?? []).filter((h) => !known(h)),
        'helpers that are not exported',
      ).toEqual([]);
    },
  );

  it('has a row in docs/keyspace.md for every key a builder makes (a builder added without documenting it fails)', () => {
    const documented = new Set(doc.map(id));
    expect(described.filter((r) => !documented.has(id(r))).map((r) => `${r.feature}: ${id(r)}`)).toEqual([]);
  });

  it('documents no key that no builder makes', () => {
    const built = new Set(described.map(id));
    expect(doc.filter((r) => !built.has(id(r))).map(id)).toEqual([]);
  });

  it('documents each key once, with the Redis type its builder declares', () => {
    expect(doc.map(id).filter((r, i, all) => all.indexOf(r) !== i)).toEqual([]);
    for (const r of described) {
      const row = doc.find((d) => id(d) === id(r));
      if (row) expect(row.type, id(r)).toMatch(new RegExp(`^${r.type.replace('/', '\\/')}($|[ ,])`));
    }
  });

  it('is what eslint-rules/keyspace.generated.json says (run npx tsx scripts/build-keyspace.ts after changing a keys.ts)', () => {
    const generated = JSON.parse(readFileSync(join(ROOT, 'eslint-rules/keyspace.generated.json'), 'utf8')) as Record<string, unknown>;
    delete generated.$comment;
    expect(generated).toEqual(describeKeyspace());
  });
});

function areaOf(module: Record<string, unknown>): KeyspaceArea {
  const areas = Object.values(module).filter((v): v is KeyspaceArea => !!v && typeof v === 'object' && 'feature' in v && 'keys' in v);
  if (areas.length !== 1) throw new Error(`a keys module exports exactly one KeyspaceArea, not ${areas.length}`);
  return areas[0] as KeyspaceArea;
}
