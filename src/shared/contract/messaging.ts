import { z } from 'zod';
import type { JobView } from '../model/job';
import { Confirm, ProfileId, op } from './op';

/** A messaging channel name (no braces: on a cluster the name itself picks the shard). */
export const ChannelSchema = z.string().regex(/^[A-Za-z0-9_.:/-]{1,128}$/, 'Malformed channel (letters, digits, _ . : / -, at most 128)');
/** A channel pattern: a channel name with `*` and `?` wildcards. */
export const ChannelPatternSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:/*?-]{1,128}$/, 'Malformed pattern (letters, digits, _ . : / - and the wildcards * ?, at most 128)');
export const MessageTypeSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:/-]{1,64}$/, 'Malformed message type (letters, digits, _ . : / -, at most 64)');
/** A route's match on the message type: `*` matches any run of characters. */
export const TypeMatchSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:/*-]{1,64}$/, 'Malformed type match (letters, digits, _ . : / - and *, at most 64)');
export const RouteNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'Malformed route name (letters, digits, _ . -, at most 64)');
const TargetName = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Malformed target name');

/** What every message carries beside its payload. */
export interface EnvelopeHeader {
  id: string;
  /** ms since the epoch, the publisher's clock */
  time: number;
  publisher: string;
  type: string;
  /** Body length on the wire (after compression, before sealing): a cut message is caught. */
  bytes?: number;
  /** The key a sealed message was sealed with. */
  keyId?: string;
  /** A request's reply channel. */
  replyTo?: string;
  /** On a reply: the request's id. */
  correlationId?: string;
}

export const RouteFiltersSchema = z.strictObject({
  /** Content: a payload field (dotted path) equals a value, or contains a text. */
  field: z
    .strictObject({
      path: z.string().regex(/^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/, 'Malformed field path (names joined by dots)'),
      equals: z.union([z.string().max(1024), z.number(), z.boolean()]).optional(),
      contains: z.string().min(1).max(1024).optional(),
    })
    .refine((f) => (f.equals === undefined) !== (f.contains === undefined), 'Give exactly one of equals or contains')
    .optional(),
  /** Messages larger than this (bytes on the wire) are not delivered. */
  maxBytes: z
    .number()
    .int()
    .min(1)
    .max(64 * 1024 * 1024)
    .optional(),
  /** At most `limit` messages per publisher per fixed window of `windowMs`. */
  rate: z
    .strictObject({
      limit: z.number().int().min(1).max(1_000_000),
      windowMs: z
        .number()
        .int()
        .min(1)
        .max(24 * 3600 * 1000),
    })
    .optional(),
});

export const RouteTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pubsub'), channel: ChannelSchema }),
  z.strictObject({ kind: z.literal('queue'), queue: TargetName }),
  z.strictObject({ kind: z.literal('stream'), stream: TargetName }),
]);

export const RouteSchema = z.strictObject({
  name: RouteNameSchema,
  match: TypeMatchSchema,
  target: RouteTargetSchema,
  filters: RouteFiltersSchema.optional(),
});

export type Route = z.output<typeof RouteSchema>;
export type RouteFilters = z.output<typeof RouteFiltersSchema>;
export type RouteTarget = z.output<typeof RouteTargetSchema>;

/** One message as the live viewer received it. */
export interface ViewerMessage {
  /** Position in the watch (1, 2, …): read after it. */
  seq: number;
  channel: string;
  receivedAt: number;
  /** Bytes on the wire. */
  size: number;
  header?: EnvelopeHeader;
  compressed?: boolean;
  sealed?: boolean;
  /** The payload as JSON text, when it could be opened. */
  payload?: string;
  /** Why it could not be opened (not an envelope, tampered, no key…). */
  error?: { code: string; message: string };
}

export const messagingContract = {
  /** Publishes one message (an operator's action: guarded, confirmed on production). */
  'messages.publish': op<{ id: string; receivers: number }>()(
    z.strictObject({
      profileId: ProfileId,
      channel: ChannelSchema,
      type: MessageTypeSchema,
      payload: z.string().max(256 * 1024),
      confirm: Confirm,
    }),
    {
      effect: 'write',
      guard: ({ channel }) => ({ action: 'message.publish', target: channel }),
      audit: ({ channel, type }, sent) => ({
        action: 'message.publish',
        target: channel,
        detail: `${type} ${sent.id} to ${sent.receivers} subscriber(s)`,
      }),
    },
    300 * 1024,
  ),
  /** Starts a live watch of a channel or pattern on a connection of its own: a job until cancelled. */
  'messages.watch': op<JobView>()(
    z
      .strictObject({ profileId: ProfileId, channel: ChannelSchema.optional(), pattern: ChannelPatternSchema.optional() })
      .refine((i) => (i.channel === undefined) !== (i.pattern === undefined), 'Give a channel or a pattern'),
  ),
  /** What a watch received after `after` (its last `seq`), at most the last 1,000 kept. */
  'messages.read': op<{ messages: ViewerMessage[]; dropped: number; running: boolean }>()(
    z.strictObject({ jobId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'Malformed job id'), after: z.number().int().min(0).optional() }),
  ),
  'messages.routes': op<{ version: number; routes: Route[] }>()(z.strictObject({ profileId: ProfileId })),
  'messages.routeSet': op<{ version: number }>()(z.strictObject({ profileId: ProfileId, route: RouteSchema, confirm: Confirm }), {
    effect: 'write',
    guard: ({ route }) => ({ action: 'message.route', target: route.name }),
    audit: ({ route }, { version }) => ({
      action: 'message.route',
      target: route.name,
      detail: `${route.match} → ${route.target.kind} (version ${version})`,
    }),
  }),
  'messages.routeDelete': op<{ version: number; deleted: boolean }>()(
    z.strictObject({ profileId: ProfileId, name: RouteNameSchema, confirm: Confirm }),
    {
      effect: 'write',
      guard: ({ name }) => ({ action: 'message.route', target: name }),
      audit: ({ name }, { version, deleted }) =>
        deleted ? { action: 'message.route', target: name, detail: `deleted (version ${version})` } : undefined,
    },
  ),
} as const;
