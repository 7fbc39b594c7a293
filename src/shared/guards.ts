import { SWARM_ACTIONS } from './contract/swarms';
import { SwarmdeckError } from './errors';
import type { Environment } from './model/profile';
import { QUEUE_ACTIONS, type QueueAction } from './model/task';

/**
 * The one place that decides whether an operator action may run on a profile, and what must be
 * typed to confirm it. Main enforces it before any Redis command; the renderer asks the same
 * function so a button is disabled for the very reason main would give.
 */

type SwarmAction = (typeof SWARM_ACTIONS)[number] | 'propose';

export type GuardedAction =
  | `queue.${QueueAction}`
  | `swarm.${SwarmAction}`
  | 'profile.delete'
  | 'profile.weaken'
  | 'demo.run'
  | 'console.write'
  | 'console.dangerous'
  | 'console.monitor'
  | BackupAction
  | 'alert.ack'
  | 'alert.rule'
  | 'alert.silence'
  | 'lock.forceRelease'
  | 'state.set'
  | 'memory.set'
  | 'memory.delete'
  | 'memory.resolve'
  | 'config.set'
  | 'config.promote'
  | 'config.rollback'
  | 'message.publish'
  | 'message.route';

type BackupAction =
  'backup.restore' | 'backup.undo' | 'backup.delete' | 'backup.prune' | 'backup.schedule' | 'backup.unschedule' | 'recovery.apply';

/** What the audit stream records: every guarded action, and the writes that ask no confirmation. */
export type AuditAction = GuardedAction | 'queue.enqueue' | 'backup.create' | 'backup.import' | 'console.exec';

interface ActionFacts {
  /** Completes "… was not done"; the operator's words, not the code's. */
  words: string;
  /** Loses data or work for good, or cannot be undone: always confirmed, even on development. */
  destructive: boolean;
  /** Changes data in Redis, so a read-only profile refuses it (deleting a profile only touches local settings). */
  writes: boolean;
}

const QUEUE_FACTS: Record<QueueAction, ActionFacts> = {
  retry: { words: 'retrying a task', destructive: false, writes: true },
  retryAll: { words: 'retrying every dead task', destructive: true, writes: true },
  promote: { words: 'running a delayed task now', destructive: false, writes: true },
  cancel: { words: 'cancelling a task', destructive: true, writes: true },
  purge: { words: 'purging tasks', destructive: true, writes: true },
  pause: { words: 'pausing the queue', destructive: false, writes: true },
  resume: { words: 'resuming the queue', destructive: false, writes: true },
};

const SWARM_FACTS: Record<SwarmAction, ActionFacts> = {
  pause: { words: 'pausing the swarm', destructive: false, writes: true },
  resume: { words: 'resuming the swarm', destructive: false, writes: true },
  stop: { words: 'stopping the swarm', destructive: true, writes: true },
  archive: { words: 'archiving the swarm', destructive: true, writes: true },
  removeAgent: { words: 'removing an agent', destructive: true, writes: true },
  stepDown: { words: 'stepping the leader down', destructive: false, writes: true },
  propose: { words: 'opening a proposal', destructive: false, writes: true },
};

export const GUARDED_ACTIONS: Readonly<Record<GuardedAction, ActionFacts>> = {
  ...(Object.fromEntries(QUEUE_ACTIONS.map((a) => [`queue.${a}`, QUEUE_FACTS[a]])) as Record<`queue.${QueueAction}`, ActionFacts>),
  ...(Object.fromEntries([...SWARM_ACTIONS, 'propose' as const].map((a) => [`swarm.${a}`, SWARM_FACTS[a]])) as Record<
    `swarm.${SwarmAction}`,
    ActionFacts
  >),
  'profile.delete': { words: 'deleting the profile', destructive: true, writes: false },
  'demo.run': { words: 'running demo agents (they write swarms and a work queue)', destructive: false, writes: true },
  // Demoting a production profile or lifting its read-only flag removes the guards themselves.
  'profile.weaken': { words: "lifting the profile's production or read-only guard", destructive: false, writes: false },
  // The console's target is the profile itself: its name is what is typed to confirm.
  'console.write': { words: 'running a command that changes data', destructive: false, writes: true },
  'console.dangerous': { words: 'running a dangerous command', destructive: true, writes: true },
  // MONITOR shows every value every client sends; the connection guard refuses it on read-only profiles too.
  'console.monitor': { words: 'watching every command (MONITOR)', destructive: false, writes: true },
  // A restore overwrites or creates keys and an undo puts other values back: both lose what is there now.
  'backup.restore': { words: 'restoring the backup', destructive: true, writes: true },
  'backup.undo': { words: 'undoing the restore', destructive: true, writes: true },
  // Deleting backup files touches no Redis key, but that copy is gone for good.
  'backup.delete': { words: 'deleting the backup', destructive: true, writes: false },
  'backup.prune': { words: 'pruning old backups', destructive: true, writes: false },
  'recovery.apply': { words: 'applying the recovery plan', destructive: false, writes: true },
  // Schedules live in this home; removing one means no more backups of that profile.
  'backup.schedule': { words: 'changing the backup schedule', destructive: false, writes: false },
  'backup.unschedule': { words: 'removing the backup schedule', destructive: true, writes: false },
  'alert.ack': { words: 'acknowledging the alert', destructive: false, writes: true },
  // Rules live in this home. Disabling or deleting one silences what it watched, without a trace in Redis.
  'alert.rule': { words: 'changing an alert rule', destructive: false, writes: false },
  'alert.silence': { words: 'disabling or deleting an alert rule', destructive: true, writes: false },
  // Agents act on the new value at once; the history keeps the old one.
  'state.set': { words: 'writing the shared state', destructive: false, writes: true },
  'memory.set': { words: "writing an agent's memory", destructive: false, writes: true },
  // The entry and its versions are gone; the agent that wrote it finds nothing.
  'memory.delete': { words: "deleting an agent's memory entry", destructive: true, writes: true },
  // The holder keeps working believing it holds the lock until its next renewal fails: two may act at once.
  'lock.forceRelease': { words: 'force-releasing the lock', destructive: true, writes: true },
  // The side not chosen is gone for good: the agent's write or the value another agent stored.
  'memory.resolve': { words: 'resolving the memory conflict', destructive: true, writes: true },
  // All three replace what every agent of the environment reads; the history keeps the old version, but agents act on the new one at once.
  'config.set': { words: 'changing the configuration', destructive: true, writes: true },
  'config.promote': { words: 'promoting the configuration', destructive: true, writes: true },
  'config.rollback': { words: 'rolling the configuration back', destructive: true, writes: true },
  // Subscribers act on a published message at once; a route change redirects every process's traffic.
  'message.publish': { words: 'publishing a message', destructive: false, writes: true },
  'message.route': { words: 'changing a message route', destructive: false, writes: true },
};

export const isDestructive = (action: GuardedAction): boolean => GUARDED_ACTIONS[action].destructive;

export interface GuardProfile {
  name: string;
  environment: Environment;
  readOnly: boolean;
}

export interface GuardTarget {
  /** The queue name, swarm id or profile name: the text typed to confirm. */
  name: string;
  /** Set when the target belongs to a system Swarmdeck only reads (a claude-flow-novice swarm). */
  foreignOwner?: string;
}

export interface GuardDecision {
  allowed: boolean;
  /** Why it was refused, in words for the operator (tooltip, error message). */
  reason?: string;
  code?: 'READ_ONLY';
  destructive: boolean;
  /** What must be typed before it runs; only on production. */
  confirm?: { expected: string; prompt: string };
}

/** The flag as a shell takes it: a name with spaces or quotes is quoted, so it can be pasted. */
const cliConfirm = (expected: string): string =>
  /^[A-Za-z0-9_.:/@-]+$/.test(expected) ? `--confirm ${expected}` : `--confirm '${expected.replace(/'/g, `'\\''`)}'`;
const typeToConfirm = (expected: string): string => `type "${expected}" to confirm (CLI: ${cliConfirm(expected)})`;

export function guard(profile: GuardProfile, action: GuardedAction, target: GuardTarget): GuardDecision {
  const facts = GUARDED_ACTIONS[action];
  if (facts.writes && target.foreignOwner) {
    return {
      allowed: false,
      code: 'READ_ONLY',
      destructive: facts.destructive,
      reason: `${target.name} belongs to ${target.foreignOwner}, which Swarmdeck only reads: ${facts.words} was not done`,
    };
  }
  if (facts.writes && profile.readOnly) {
    return {
      allowed: false,
      code: 'READ_ONLY',
      destructive: facts.destructive,
      reason: `profile "${profile.name}" is read-only: ${facts.words} was not done`,
    };
  }
  if (profile.environment === 'production') {
    return {
      allowed: true,
      destructive: facts.destructive,
      confirm: { expected: target.name, prompt: `${profile.name} is production: ${typeToConfirm(target.name)}` },
    };
  }
  return { allowed: true, destructive: facts.destructive };
}

/**
 * Checks what the caller typed against the decision. A confirmation that was given but is wrong
 * is refused on every environment: the operator meant another target, so doing it anyway would
 * act on something they did not name. Returns the refusal's words, or undefined when it may run.
 */
export function confirmationProblem(
  action: GuardedAction,
  target: GuardTarget,
  decision: GuardDecision,
  given: string | undefined,
): string | undefined {
  const words = GUARDED_ACTIONS[action].words;
  if (given !== undefined && given !== target.name) {
    return `the confirmation "${given}" does not match ${target.name}: ${words} was not done; ${typeToConfirm(target.name)}`;
  }
  if (decision.confirm && given === undefined)
    return `${words} on production needs confirmation: ${typeToConfirm(decision.confirm.expected)}`;
  return undefined;
}

/** What main does with a decision: the typed refusal, thrown before any Redis command is sent. */
export function enforceGuard(profile: GuardProfile, action: GuardedAction, target: GuardTarget, given: string | undefined): void {
  const decision = guard(profile, action, target);
  if (!decision.allowed)
    throw new SwarmdeckError('READ_ONLY', decision.reason ?? `${GUARDED_ACTIONS[action].words} was not done`, { command: action });
  const problem = confirmationProblem(action, target, decision, given);
  if (problem) throw new SwarmdeckError('CONFIRMATION_REQUIRED', problem, { command: action, expected: target.name });
}
