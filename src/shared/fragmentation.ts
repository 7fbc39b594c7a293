import type { NodeHealth } from './model/health';

/** Below this dataset, fragmentation ratios are noise (allocator overhead dominates an empty server). */
export const FRAGMENTATION_MIN_DATASET = 64 * 1024 * 1024;
const FRAGMENTATION_RATIO_WARN = 1.5;

export interface MemoryFigures {
  datasetBytes: number;
  usedBytes: number;
  rssBytes: number;
  fragmentationRatio: number;
}

/**
 * Is this node's fragmentation worth an operator's attention? Judged against the dataset's
 * size, so a ratio of 12 on a 1 MiB server (a few MiB of allocator overhead) is not flagged.
 * The one rule for diagnostics, health alerts and the node table.
 */
export function fragmentationMatters(m: MemoryFigures): boolean {
  return (
    m.datasetBytes >= FRAGMENTATION_MIN_DATASET &&
    m.fragmentationRatio > FRAGMENTATION_RATIO_WARN &&
    m.rssBytes - m.usedBytes > FRAGMENTATION_MIN_DATASET
  );
}

/** The same rule on the figures a health snapshot carries; false while any of them is unknown. */
export function significantFragmentation(node: NodeHealth): boolean {
  const { datasetMemory, usedMemory, rssMemory, fragmentation } = node;
  if (datasetMemory === undefined || usedMemory === undefined || rssMemory === undefined || fragmentation === undefined) return false;
  return fragmentationMatters({
    datasetBytes: datasetMemory,
    usedBytes: usedMemory,
    rssBytes: rssMemory,
    fragmentationRatio: fragmentation,
  });
}
