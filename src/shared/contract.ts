import { z } from 'zod';
import type { ErrorPayload } from './errors';
import {
  PasswordSchema,
  ProfileInputSchema,
  type ProfileView,
} from './model/profile';
import {
  ThresholdsSchema,
  type ConnectionStatus,
  type ConnectionTestResult,
  type HealthSnapshot,
  type Thresholds,
} from './model/health';
import type { SandboxStatus } from './model/sandbox';
import { ProposalInputSchema, type SwarmDetail, type SwarmList, type MessageView } from './model/swarm';
import { EnqueueSchema, PURGEABLE, QUEUE_ACTIONS, QueueNameSchema, type QueueSummary, type StreamEntry, type TaskDetail } from './model/task';

/**
 * Every operation of the Swarmdeck API, declared once: its name, the zod schema its input
 * must satisfy, and (as a phantom type) what it returns. Main validates against these
 * schemas at every boundary; transports and the preload derive their shape from here.
 */
interface Operation<I extends z.ZodType, O> {
  input: I;
  /** Never set: carries the output type. */
  output?: O;
  /** Changes what is stored or what Redis holds. */
  mutates: boolean;
  /**
   * The largest input accepted, in bytes of JSON. Transports refuse a bigger one before the
   * schema runs, so a hostile caller cannot make main walk megabytes to learn it is invalid.
   */
  maxInputBytes: number;
}

/** The largest WebSocket frame the web host reads; every op's cap stays below it. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Room for `{"id":…,"op":…,"input":}` around an input in one frame. */
export const FRAME_OVERHEAD_BYTES = 1024;
/** Enough for any form a person fills in; ops that carry files or payloads say more. */
const DEFAULT_MAX_INPUT_BYTES = 64 * 1024;

function op<O>() {
  return <I extends z.ZodType>(input: I, mutates = false, maxInputBytes = DEFAULT_MAX_INPUT_BYTES): Operation<I, O> => ({
    input,
    mutates,
    maxInputBytes,
  });
}

export interface AppInfo {
  version: string;
  /** Where passwords are kept, and a warning when that is weaker than an operator would assume. */
  secrets: { backend: string; warning?: string };
}

const ProfileId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'Malformed profile id');
const ByProfile = z.strictObject({ profileId: ProfileId });
const Empty = z.strictObject({});
/** `undefined` keeps the stored password, `null` clears it. */
const SwarmId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Malformed swarm id');
const StreamId = z.string().regex(/^\d{1,15}-\d{1,10}$/, 'Malformed stream id');
const Source = z.enum(['swarmdeck', 'claude-flow-novice']).default('swarmdeck');
const BySwarm = { profileId: ProfileId, swarmId: SwarmId, source: Source };
export const SWARM_ACTIONS = ['pause', 'resume', 'stop', 'archive', 'removeAgent', 'stepDown'] as const;
/** `undefined` keeps the stored password, `null` clears it. */
const PasswordChange = PasswordSchema.nullable().optional();

export const contract = {
  'profiles.list': op<ProfileView[]>()(Empty),
  'profiles.save': op<ProfileView>()(
    z.strictObject({ profile: ProfileInputSchema, password: PasswordChange }),
    true,
  ),
  'profiles.duplicate': op<ProfileView>()(
    z.strictObject({ id: ProfileId, name: z.string().trim().min(1).max(64) }),
    true,
  ),
  'profiles.remove': op<{ removed: string }>()(z.strictObject({ id: ProfileId }), true),
  'profiles.export': op<{ json: string }>()(
    z.strictObject({ ids: z.array(ProfileId).max(1000).optional() }),
    false,
    // 1,000 ids of up to 64 characters, quoted and separated.
    96 * 1024,
  ),
  'profiles.import': op<{ imported: ProfileView[] }>()(
    z.strictObject({ json: z.string().min(2).max(2_000_000) }),
    true,
    // A 2 MB export with its quotes escaped once more inside the call.
    MAX_FRAME_BYTES - FRAME_OVERHEAD_BYTES,
  ),
  'profiles.test': op<ConnectionTestResult>()(
    z.strictObject({
      profile: ProfileInputSchema,
      password: PasswordSchema.optional(),
      /** Use the stored password of this profile when none is typed. */
      storedPasswordOf: ProfileId.optional(),
    }),
  ),
  'connections.list': op<ConnectionStatus[]>()(Empty),
  'connections.connect': op<ConnectionStatus>()(ByProfile),
  'connections.disconnect': op<ConnectionStatus>()(ByProfile),
  'health.snapshot': op<HealthSnapshot>()(ByProfile),
  'alerts.thresholds': op<Thresholds>()(Empty),
  'alerts.setThresholds': op<Thresholds>()(ThresholdsSchema, true),
  'app.info': op<AppInfo>()(Empty),
  'sandbox.status': op<SandboxStatus>()(Empty),
  'sandbox.start': op<ProfileView>()(Empty, true),
  'redis.ping': op<{ ms: number }>()(ByProfile),
  'queues.list': op<QueueSummary[]>()(ByProfile),
  'queues.summary': op<QueueSummary>()(
    z.strictObject({ profileId: ProfileId, queue: QueueNameSchema, minutes: z.number().int().min(1).max(120).optional() }),
  ),
  'queues.tasks': op<TaskDetail[]>()(
    z.strictObject({
      profileId: ProfileId,
      queue: QueueNameSchema,
      state: z.enum(['waiting', 'delayed', 'active', 'finished', 'dead']),
      offset: z.number().int().min(0).max(10_000_000),
      limit: z.number().int().min(1).max(500),
    }),
  ),
  'queues.task': op<TaskDetail>()(
    z.strictObject({ profileId: ProfileId, queue: QueueNameSchema, id: z.string().min(1).max(128) }),
  ),
  'queues.events': op<StreamEntry[]>()(
    z.strictObject({ profileId: ProfileId, queue: QueueNameSchema, count: z.number().int().min(1).max(500) }),
  ),
  'audit.recent': op<StreamEntry[]>()(z.strictObject({ profileId: ProfileId, count: z.number().int().min(1).max(500) })),
  'queues.enqueue': op<{ id: string; state: 'waiting' | 'delayed' }>()(
    z.strictObject({ profileId: ProfileId, queue: QueueNameSchema, task: EnqueueSchema }),
    true,
    // A queue stores payloads up to 512 KB of JSON; the rest of the task is a few fields.
    512 * 1024 + 4096,
  ),
  'queues.action': op<{ affected: number }>()(
    z.strictObject({
      profileId: ProfileId,
      queue: QueueNameSchema,
      action: z.enum(QUEUE_ACTIONS),
      id: z.string().min(1).max(128).optional(),
      state: z.enum(PURGEABLE).optional(),
      confirm: z.string().max(128).optional(),
    }),
    true,
  ),
  'swarms.list': op<SwarmList>()(ByProfile),
  'swarms.show': op<SwarmDetail>()(z.strictObject(BySwarm)),
  'swarms.events': op<StreamEntry[]>()(
    z.strictObject({ ...BySwarm, before: StreamId.optional(), after: StreamId.optional(), count: z.number().int().min(1).max(500) }),
  ),
  'swarms.messages': op<MessageView[]>()(
    z.strictObject({ ...BySwarm, after: StreamId.optional(), count: z.number().int().min(1).max(1000) }),
  ),
  'swarms.action': op<{ done: string }>()(
    z.strictObject({
      ...BySwarm,
      action: z.enum(SWARM_ACTIONS),
      agentId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Malformed agent id').optional(),
      confirm: z.string().max(128).optional(),
    }),
    true,
  ),
  'swarms.propose': op<{ proposal: string }>()(
    z.strictObject({ ...BySwarm, proposal: ProposalInputSchema.omit({ proposer: true }), confirm: z.string().max(128).optional() }),
    true,
    // Up to 10,000 named voters of 64 characters each, plus the text of the proposal.
    768 * 1024,
  ),
} as const;

export type Contract = typeof contract;
export type OpName = keyof Contract;
export const OP_NAMES = Object.keys(contract) as OpName[];

/** What a caller passes (before defaults and trimming). */
export type OpInput<N extends OpName> = z.input<Contract[N]['input']>;
/** What a handler receives, after validation. */
export type OpParsed<N extends OpName> = z.output<Contract[N]['input']>;
export type OpOutput<N extends OpName> = NonNullable<Contract[N]['output']>;

export type Envelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ErrorPayload };

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** The channel an operation travels on over Electron IPC. */
export const ipcChannel = (name: OpName): string => `swarmdeck:${name}`;
export const IPC_EVENT_CHANNEL = 'swarmdeck:event';
