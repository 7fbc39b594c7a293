import { nodeHandles } from '../../redis/nodes';
import { samePayloadContent } from './compare';
import { globMatch, type KeyType } from './format';
import { openBackup } from './reader';
import { ident, items, rewriter, selectionGlobs, validate, type RestorePlanOptions } from './restore-plan';
import { Router, checkTarget, readTarget } from './restore-target';

export interface KindCount {
  count: number;
  samples: Buffer[];
}

export interface DryRunReport {
  selected: number;
  expired: number;
  new: KindCount;
  identical: KindCount;
  different: KindCount;
  onlyInTarget: KindCount;
}

const sample = (k: KindCount, key: Buffer, max: number) => {
  k.count += 1;
  if (k.samples.length < max) k.samples.push(key);
};

/**
 * What a restore would do, computed against the target without writing: new, identical,
 * different (by content where DUMP bytes may differ), and target keys in scope that the
 * backup does not hold. Reading the whole file first also refuses a damaged one.
 */
export async function dryRunRestore(o: RestorePlanOptions): Promise<DryRunReport> {
  validate(o);
  const backup = await openBackup(o.root, o.backup.profileId, o.backup.id);
  const { pexpiretime } = await checkTarget(backup, o.target);
  const router = new Router(o.target);
  const max = o.samples ?? 10;
  const expired = { n: 0 };
  const report: DryRunReport = {
    selected: 0,
    expired: 0,
    new: { count: 0, samples: [] },
    identical: { count: 0, samples: [] },
    different: { count: 0, samples: [] },
    onlyInTarget: { count: 0, samples: [] },
  };
  const inBackup = new Set<string>();
  for await (const chunk of items(backup, o, expired)) {
    const state = await readTarget(router, chunk, pexpiretime);
    for (const it of chunk) {
      inBackup.add(ident(it.key));
      report.selected += 1;
      const cur = state.get(ident(it.key))?.payload ?? null;
      if (cur === null) sample(report.new, it.key, max);
      else if (samePayloadContent(cur, it.record.payload)) sample(report.identical, it.key, max);
      else sample(report.different, it.key, max);
    }
  }
  report.expired = expired.n;
  report.selected += expired.n;
  await scanTargetScope(o, (key) => {
    if (!inBackup.has(ident(key))) sample(report.onlyInTarget, key, max);
  });
  return report;
}

/** Every target key in the selection's scope (prefixes rewritten, types checked). */
async function scanTargetScope(o: RestorePlanOptions, visit: (key: Buffer) => void): Promise<void> {
  const globs = selectionGlobs(o.select, rewriter(o.rewrite));
  const types = o.select?.types ?? [];
  for (const h of nodeHandles(o.target, 'master')) {
    let cursor = '0';
    do {
      const [next, keys] = await h.client.scanBuffer(cursor, 'COUNT', 1000);
      cursor = next.toString();
      const inScope = keys.filter((k) => globs.length === 0 || globs.some((g) => globMatch(g, k)));
      let typed = inScope;
      if (types.length > 0 && inScope.length > 0) {
        const p = h.client.pipeline();
        inScope.forEach((k) => p.type(k));
        const t = (await p.exec()) ?? [];
        typed = inScope.filter((_, i) => types.includes(String(t[i]?.[1]) as KeyType));
      }
      typed.forEach(visit);
    } while (cursor !== '0');
  }
}
