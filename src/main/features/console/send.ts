import { Command, type Cluster, type Redis } from 'ioredis';
import type { NodeReply, ReplyNode } from '../../../shared/model/console';
import { toSwarmdeckError } from '../../redis/describe-error';
import type { Plan } from './line-plan';
import { DEFAULT_BOUNDS, FULL_BYTES, convertReply, replySize, type Budget } from './reply';

/** Sends one line as the operator typed it, binary safe, and turns its reply (or error) into what the console shows. */
export async function sendLine(
  client: Redis | Cluster,
  plan: Plan,
  budget: Budget,
  full: boolean | undefined,
  node: string | undefined,
  role?: 'master' | 'replica',
): Promise<NodeReply> {
  // ioredis keys its reply transformers (HGETALL → map) and connection bookkeeping (SELECT,
  // QUIT) by the lower-case name: `HGETALL` and `hgetall` must answer alike.
  const command = new Command((plan.argv[0] as string).toLowerCase(), plan.parsed.argv.slice(1), { replyEncoding: null });
  let raw: unknown;
  try {
    void client.sendCommand(command);
    raw = await command.promise;
  } catch (error) {
    const message = isReplyError(error) ? error.message : toSwarmdeckError(error, node ?? 'the server').message;
    return withNode({ type: 'error', message }, node, role);
  }
  return withNode(toReplyNode(raw, budget, full), node, role);
}

/** A reply within the call's budget: cut to the default bounds, or whole (`full`) when it fits what is left. */
export function toReplyNode(raw: unknown, budget: Budget, full: boolean | undefined): ReplyNode {
  if (full) {
    const size = replySize(raw);
    if (size > budget.left) {
      return {
        type: 'error',
        message: `the reply is ${size} bytes, more than the console loads whole (${budget.left} bytes left of ${FULL_BYTES}); narrow the command (GETRANGE, LRANGE, HSCAN…)`,
      };
    }
  }
  return convertReply(raw, full ? { bytes: FULL_BYTES, items: Number.MAX_SAFE_INTEGER } : DEFAULT_BOUNDS, budget);
}

export function withNode(reply: ReplyNode, node: string | undefined, role: 'master' | 'replica' | undefined): NodeReply {
  const out: NodeReply = { reply };
  if (node !== undefined) out.node = node;
  if (role !== undefined) out.role = role;
  return out;
}

export function hasTruncation(node: ReplyNode): boolean {
  if ('truncated' in node && node.truncated) return true;
  if (node.type === 'array') return node.items.some(hasTruncation);
  if (node.type === 'map') return node.entries.some((e) => hasTruncation(e.key) || hasTruncation(e.value));
  return false;
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}
