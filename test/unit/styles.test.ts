import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { palette } from '../../src/renderer/src/styles/palette';

const ROOT = join(import.meta.dirname, '../..');
const RENDERER = join(ROOT, 'src/renderer');
const TOKENS = 'src/renderer/src/styles/tokens.css';
const PALETTE = 'src/renderer/src/styles/palette.ts';

/**
 * Files that still hand raw colours to ECharts or a canvas, with how many: their owners move them
 * to styles/palette.ts. The count is exact, so the list can only shrink, never grow.
 */
const NOT_YET_ON_THE_PALETTE: Record<string, number> = {
  'src/renderer/src/components/Sparkline.tsx': 1,
  'src/renderer/src/features/backup/restore/DryRunChart.tsx': 10,
  'src/renderer/src/features/overview/LatencyChart.tsx': 18,
  'src/renderer/src/features/swarms/ConsensusPanel.tsx': 10,
  'src/renderer/src/features/swarms/topology-labels.ts': 2,
  'src/renderer/src/features/tasks/QueueCharts.tsx': 16,
};

const RAW_COLOUR = /#(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})\b|\b(?:rgb|hsl)a?\(/gi;

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const withoutComments = (css: string): string => css.replace(/\/\*[\s\S]*?\*\//g, '');
/** Declaration values only: a selector such as `#add` is no colour. */
const values = (css: string): string[] => [...withoutComments(css).matchAll(/:\s*([^;{}]+)[;}]/g)].map((m) => m[1] as string);
const colourIn = (text: string): string[] => text.match(RAW_COLOUR) ?? [];

/** Custom properties as the tokens file declares them: name → value. */
function tokens(): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of withoutComments(read(TOKENS)).matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) found.set(m[1] as string, (m[2] as string).trim());
  return found;
}

const stylesheets = filesUnder(RENDERER, /\.css$/);
const scripts = filesUnder(RENDERER, /\.(ts|tsx)$/);

describe('styles: one place for each colour', () => {
  it('finds the stylesheets it guards', () => {
    expect(stylesheets).toContain(TOKENS);
    expect(stylesheets.length).toBeGreaterThan(10);
  });

  it('no stylesheet but the tokens file writes a raw colour', () => {
    const raw = stylesheets
      .filter((f) => f !== TOKENS)
      .flatMap((f) => values(read(f)).flatMap((v) => colourIn(v).map((c) => `${f}: ${v.trim()} (${c})`)));
    expect(raw).toEqual([]);
  });

  it('every var(--x) is a property some stylesheet defines', () => {
    const defined = new Set(
      stylesheets.flatMap((f) => [...withoutComments(read(f)).matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1] as string)),
    );
    const used = stylesheets.flatMap((f) =>
      [...withoutComments(read(f)).matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => ({ f, name: m[1] as string })),
    );
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((u) => !defined.has(u.name)).map((u) => `${u.f}: ${u.name}`)).toEqual([]);
  });

  it('the tokens file defines each colour once', () => {
    const byValue = new Map<string, string[]>();
    for (const [name, value] of tokens()) {
      if (colourIn(value).length === 0) continue;
      const key = value.toLowerCase().replace(/\s+/g, '');
      byValue.set(key, [...(byValue.get(key) ?? []), name]);
    }
    expect([...byValue].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  it('scripts take colours from the palette, except the files still listed', () => {
    const counts = Object.fromEntries(
      scripts
        .filter((f) => f !== PALETTE)
        .map((f) => [f, colourIn(read(f)).length] as const)
        .filter(([, n]) => n > 0),
    );
    expect(counts).toEqual(NOT_YET_ON_THE_PALETTE);
  });

  it('the palette mirrors every colour token, value for value', () => {
    const camel = (name: string): string => name.slice(2).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const fromTokens = Object.fromEntries(
      [...tokens()].filter(([, value]) => colourIn(value).length > 0 || value.startsWith('#')).map(([name, value]) => [camel(name), value]),
    );
    expect({ ...palette }).toEqual(fromTokens);
  });
});
