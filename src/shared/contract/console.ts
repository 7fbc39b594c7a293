import { z } from 'zod';
import type { JobView } from '../model/job';
import type { ConsoleCatalogue, ConsoleExecResult, ConsoleHistoryEntry, ConsoleKeysResult, MonitorLines } from '../model/console';
import { JobId } from './jobs';
import { Confirm, ProfileId, op } from './op';

/** `host:port` of one node, to run a command there instead of where the key slot routes it. */
export const NodeAddress = z.string().regex(/^[A-Za-z0-9.:\-[\]]{1,255}:\d{1,5}$/, 'Expected host:port');

/** A glob as SCAN MATCH takes it. */
const Pattern = z.string().min(1).max(1024);

export const consoleContract = {
  /** The command catalogue: the connected server's own (cached per version), or the shipped snapshot without a profile. */
  'console.commands': op<ConsoleCatalogue>()(z.strictObject({ profileId: ProfileId.optional() })),
  /** Runs one command per non-empty line, guarded (read-only, typed confirmation) and audited on production. */
  'console.exec': op<ConsoleExecResult>()(
    z.strictObject({
      profileId: ProfileId,
      line: z
        .string()
        .min(1)
        .max(256 * 1024),
      node: NodeAddress.optional(),
      confirm: Confirm,
      /** Return replies whole instead of cut at the bound (still size-checked). */
      full: z.boolean().optional(),
    }),
    // What a line does depends on its command, classed from the server's own table, which only
    // main holds: the console applies the same guard and audit to each line before sending it.
    { effect: 'command', audit: { none: 'each line that ran on production is audited by the console, with its command' } },
    256 * 1024 + 1024,
  ),
  /** What KEYS would answer, found by SCAN with a budget instead of blocking the server. */
  'console.keys': op<ConsoleKeysResult>()(
    z.strictObject({
      profileId: ProfileId,
      pattern: Pattern,
      /** SCAN's COUNT hint. */
      count: z.number().int().min(1).max(10_000).optional(),
      /** Most keys looked at before stopping. */
      budget: z.number().int().min(1).max(10_000_000).optional(),
      /** Most keys returned. */
      limit: z.number().int().min(1).max(100_000).optional(),
      node: NodeAddress.optional(),
    }),
  ),
  /** Starts MONITOR as a job (own connection per node); it stops after `seconds` or `maxCommands`. */
  'console.monitor': op<JobView>()(
    z.strictObject({
      profileId: ProfileId,
      seconds: z.number().int().min(1).max(3600).optional(),
      maxCommands: z.number().int().min(1).max(10_000_000).optional(),
      /** Keep only commands whose name is one of these (case-insensitive). */
      commands: z.array(z.string().min(1).max(64)).max(64).optional(),
      /** Keep only lines containing this text. */
      contains: z.string().min(1).max(1024).optional(),
      node: NodeAddress.optional(),
      confirm: Confirm,
    }),
    {
      effect: 'write',
      guard: (_input, profile) => ({ action: 'console.monitor', target: profile.name }),
      // It shows every value every client sends: who watched production, and for how long, is on record.
      audit: ({ node, seconds, maxCommands }, _job, profile) =>
        profile.environment === 'production'
          ? {
              action: 'console.monitor',
              target: profile.name,
              detail: `${node ?? 'every node'}, ${seconds ?? 60} s, at most ${maxCommands ?? 100_000}`,
            }
          : undefined,
    },
  ),
  /** Lines a console MONITOR job has seen after `after` (its kept window). */
  'console.monitorLines': op<MonitorLines>()(
    z.strictObject({ jobId: JobId, after: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(5000).optional() }),
  ),
  /** The profile's console history, newest first, optionally filtered by text. */
  'console.history': op<ConsoleHistoryEntry[]>()(
    z.strictObject({ profileId: ProfileId, search: z.string().max(256).optional(), limit: z.number().int().min(1).max(1000).optional() }),
  ),
} as const;
