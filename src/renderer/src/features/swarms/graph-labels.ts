import type { AgentView, Edge } from '../../../../shared/model/swarm';

/**
 * Pure decisions behind a readable graph at a thousand agents: which teams start folded,
 * which labels fit on screen at the current zoom, how an agent's neighbours are summarised
 * and which agent a typed name means.
 */

/** Above this many agents on screen the graph is a smear: teams fold until it fits. */
export const VISIBLE_BUDGET = 250;

/**
 * The teams folded when nobody has said otherwise: none while every agent fits the budget;
 * else the largest teams first, and every team as large as the last one folded, so that one
 * size ("teams above N members") decides and equal teams look alike.
 */
export function autoFold(teams: ReadonlyMap<string, readonly string[]>, agents: number, budget = VISIBLE_BUDGET): Set<string> {
  const folded = new Set<string>();
  if (agents <= budget) return folded;
  const bySize = [...teams].filter(([, members]) => members.length > 1).sort((a, b) => b[1].length - a[1].length);
  let visible = agents;
  let threshold = Infinity;
  for (const [lead, members] of bySize) {
    if (visible <= budget && members.length < threshold) break;
    folded.add(lead);
    visible -= members.length;
    threshold = members.length;
  }
  return folded;
}

/** The folded set the operator sees: the automatic one, with the teams they clicked flipped. */
export function foldedTeams(auto: ReadonlySet<string>, flipped: ReadonlySet<string>): Set<string> {
  const out = new Set(auto);
  for (const lead of flipped) {
    if (out.has(lead)) out.delete(lead);
    else out.add(lead);
  }
  return out;
}

export interface LabelCandidate {
  id: string;
  text: string;
  /** Centre of the node, in pixels. */
  x: number;
  y: number;
  /** Radius of the node's symbol, in pixels: the label starts right of it. */
  r: number;
  /** Lower goes first: the selected agent, the leader, leads, then the rest. */
  rank: number;
}

export interface LabelBox {
  id: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

const LABEL_HEIGHT = 14;
/** 10 px sans-serif averages under 6 px a character; a little more keeps neighbours apart. */
const CHAR_WIDTH = 6.2;
const CELL = 64;

export const labelWidth = (text: string): number => Math.ceil(text.length * CHAR_WIDTH) + 6;

const overlaps = (a: LabelBox, b: LabelBox): boolean =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

/**
 * Greedy placement, most important first: a label is drawn right of its node only where it
 * lies wholly inside the view and touches no label already placed. Zooming in spreads the
 * nodes apart, so more labels fit. A grid of cells keeps the overlap test local, so a
 * thousand candidates cost a thousand small lookups rather than a million comparisons.
 */
export function placeLabels(candidates: readonly LabelCandidate[], view: { width: number; height: number }, max = 400): LabelBox[] {
  const placed: LabelBox[] = [];
  const grid = new Map<string, LabelBox[]>();
  const cells = (b: LabelBox): string[] => {
    const out: string[] = [];
    for (let cx = Math.floor(b.left / CELL); cx <= Math.floor((b.left + b.width) / CELL); cx += 1) {
      for (let cy = Math.floor(b.top / CELL); cy <= Math.floor((b.top + b.height) / CELL); cy += 1) out.push(`${cx}:${cy}`);
    }
    return out;
  };
  const order = [...candidates].sort((a, b) => a.rank - b.rank);
  for (const c of order) {
    if (placed.length >= max) break;
    const box: LabelBox = { id: c.id, left: c.x + c.r + 3, top: c.y - LABEL_HEIGHT / 2, width: labelWidth(c.text), height: LABEL_HEIGHT };
    if (box.left < 0 || box.top < 0 || box.left + box.width > view.width || box.top + box.height > view.height) continue;
    const keys = cells(box);
    if (keys.some((k) => grid.get(k)?.some((other) => overlaps(box, other)))) continue;
    placed.push(box);
    for (const k of keys) {
      const bucket = grid.get(k);
      if (bucket) bucket.push(box);
      else grid.set(k, [box]);
    }
  }
  return placed;
}

export interface NeighbourGroup {
  reason: string;
  ids: string[];
}

/** An agent's neighbours under each reason they are connected by, the largest group first. */
export function groupNeighbours(edges: readonly Edge[], agent: string): NeighbourGroup[] {
  const groups = new Map<string, Set<string>>();
  for (const e of edges) {
    const other = e.from === agent ? e.to : e.to === agent ? e.from : undefined;
    if (other === undefined || other === agent) continue;
    const ids = groups.get(e.reason) ?? new Set<string>();
    ids.add(other);
    groups.set(e.reason, ids);
  }
  return [...groups]
    .map(([reason, ids]) => ({ reason, ids: [...ids] }))
    .sort((a, b) => b.ids.length - a.ids.length || a.reason.localeCompare(b.reason));
}

/** The agent a typed name means: the exact id, else the one id it starts, else the first id containing it. */
export function findAgent(agents: readonly Pick<AgentView, 'id'>[], query: string): string | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return undefined;
  const ids = agents.map((a) => a.id);
  return (
    ids.find((id) => id.toLowerCase() === q) ??
    ids.find((id) => id.toLowerCase().startsWith(q)) ??
    ids.find((id) => id.toLowerCase().includes(q))
  );
}

/** The lead whose team holds `agent`, if any. */
export function leadOf(teams: ReadonlyMap<string, readonly string[]>, agent: string): string | undefined {
  for (const [lead, members] of teams) if (members.includes(agent)) return lead;
  return undefined;
}
