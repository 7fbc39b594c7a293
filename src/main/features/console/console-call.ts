import { SwarmdeckError } from '../../../shared/errors';
import type { ConsoleCommandResult, ConsoleExecResult, NodeReply } from '../../../shared/model/console';
import type { Caller, Owners } from '../../owners';
import type { Session } from '../../redis/connection-manager';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import { recordAudit } from '../audit/audit';
import type { ConsoleHistory } from './history';
import { fansOut, redact, wantsOwnConnection, type Plan } from './line-plan';
import { runOwnCommand } from './own-commands';
import { FULL_BYTES, type Budget } from './reply';
import { findNode, openDedicated, slotOwner, type Dedicated } from './routing';
import { hasTruncation, sendLine } from './send';

export interface ExecOptions {
  line: string;
  node?: string;
  confirm?: string;
  full?: boolean;
}

/** Bytes of reply one `console.exec` returns before cutting (the rest is marked truncated). */
const EXEC_BUDGET = 512 * 1024;

/**
 * One `console.exec` call: its planned lines in order, on the profile's shared connection or,
 * from the first line that needs one, on a connection of the call's own, held in its caller's name.
 */
export class ConsoleCall {
  private readonly explicit?: NodeHandle;
  private readonly budget: Budget;
  private dedicated?: Dedicated;
  private abandoned = false;

  constructor(
    private readonly session: Session,
    private readonly options: ExecOptions,
    private readonly caller: Caller,
    private readonly plans: Plan[],
    private readonly history: ConsoleHistory,
  ) {
    this.explicit = options.node === undefined ? undefined : findNode(session, options.node);
    this.budget = { left: options.full ? FULL_BYTES : EXEC_BUDGET };
  }

  async run(owners: Owners): Promise<ConsoleExecResult> {
    // A call that will need a connection of its own takes its place in its caller's name before
    // any line is sent: refused at the cap, it has done nothing; its caller gone, it stops.
    const hold = this.plans.some(wantsOwnConnection)
      ? owners.reserve(this.caller.owner, 'console.blocking', this.session.profile.id)
      : undefined;
    hold?.onRelease(() => {
      this.abandoned = true;
      this.dedicated?.client.disconnect();
    });
    const results: ConsoleCommandResult[] = [];
    try {
      for (const [index, plan] of this.plans.entries()) results.push(await this.line(index, plan));
    } finally {
      this.dedicated?.client.disconnect();
      hold?.end();
    }
    return { results };
  }

  private async line(index: number, plan: Plan): Promise<ConsoleCommandResult> {
    if (this.abandoned)
      throw new SwarmdeckError(
        'UNAVAILABLE',
        `The ${this.caller.owner.label} that ran this closed: line ${plan.parsed.lineNo} and after were not sent`,
        { line: plan.parsed.lineNo },
      );
    const started = performance.now();
    const base = {
      line: plan.parsed.line,
      argv: plan.argv,
      command: plan.name,
      class: plan.command?.class ?? 'write',
      dedicated: false,
      truncated: false,
      audited: false,
    };
    if (plan.kind === 'keys') return { ...base, replies: [], offer: { op: 'console.keys', pattern: plan.argv[1] ?? '*' }, durationMs: 0 };
    if (plan.kind === 'monitor') return { ...base, replies: [], offer: { op: 'console.monitor' }, durationMs: 0 };
    if (!this.dedicated && wantsOwnConnection(plan)) {
      this.dedicated = openDedicated(this.session, this.explicit, this.plans.slice(index));
      // From here the call waits on its own connection, not the profile's: the host's
      // admission lets another call have its place (the hold above bounds how many wait).
      this.caller.onOwnConnection?.();
    }
    const replies = await this.replies(plan);
    const result: ConsoleCommandResult = {
      ...base,
      dedicated: this.dedicated !== undefined,
      replies,
      truncated: replies.some((r) => hasTruncation(r.reply)),
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    const session = this.session;
    if (session.profile.environment === 'production') {
      // A read-only production profile cannot write the audit stream; the result says it was not audited.
      result.audited = await recordAudit(session, 'console.exec', plan.name, redact(plan.argv, plan.name), replies.length).then(
        () => true,
        () => false,
      );
    }
    this.history.add(session.profile.id, {
      at: Date.now(),
      line: redact(plan.argv, plan.name),
      ok: !replies.some((r) => r.reply.type === 'error'),
      ...(this.options.node ? { node: this.options.node } : {}),
    });
    return result;
  }

  /** Where a line goes: the call's own connection, the node named, every node it asks of, or the owner of its key. */
  private async replies(plan: Plan): Promise<NodeReply[]> {
    const { session, budget, explicit, dedicated } = this;
    const full = this.options.full;
    if (plan.kind === 'connections' || plan.kind === 'fragmentation') return runOwnCommand(session, plan.kind, explicit, budget, full);
    if (dedicated) return [await sendLine(dedicated.client, plan, budget, full, dedicated.address)];
    if (explicit) return [await sendLine(explicit.client, plan, budget, full, explicit.address)];
    if (!fansOut(plan)) return [await sendLine(session.client, plan, budget, full, slotOwner(session, plan))];
    const masters = new Set(nodeHandles(session.client, 'master').map((n) => n.address));
    // all_nodes means replicas too (CONFIG SET, SCRIPT FLUSH); all_shards means one copy of
    // the data, so a write goes to the masters and a read asks every node for its own view.
    const changes = plan.command?.class === 'write' || plan.command?.class === 'dangerous';
    const role = plan.command?.requestPolicy === 'all_shards' && changes ? 'master' : 'all';
    return Promise.all(
      nodeHandles(session.client, role).map((n) =>
        sendLine(n.client, plan, budget, full, n.address, masters.has(n.address) ? 'master' : 'replica'),
      ),
    );
  }
}
