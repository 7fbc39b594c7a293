import { DIAGNOSES, type DiagnosisKind, type DiagnosisReport } from '../../../shared/model/diagnostics';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, intFlag, resolveTarget, stringFlag, type Context } from '../../hosts/cli/context';
import { writeFileDurably } from '../../durable-file';
import { operatorFileMode } from '../../private-files';

export const diagnosticsCommands: CliCommand<Context>[] = [
  {
    words: ['diagnose'],
    usage: ['diagnose connection|performance|memory|clients [--json] [--out report.html|report.json] [--ops N] [--replicas]'],
    flags: { out: { type: 'string' }, ops: { type: 'string' }, replicas: { type: 'boolean' } },
    async run([, kind], ctx) {
      if (!DIAGNOSES.includes(kind as DiagnosisKind)) throw new UsageError(`diagnose needs one of: ${DIAGNOSES.join(', ')}`);
      const which = kind as DiagnosisKind;
      let jobId: string;
      if (which === 'connection') {
        // The walk must run when connecting fails, so it never goes through connectTarget.
        const target = await resolveTarget(ctx);
        jobId =
          target.saved && target.password === undefined
            ? (await ctx.api.call('diagnostics.run', { profileId: target.profile.id, kind: which })).id
            : ctx.services.diagnostics.runConnection(target.profile, target.password).id;
      } else {
        const profile = await connectTarget(ctx);
        jobId = (
          await ctx.api.call('diagnostics.run', {
            profileId: profile.id,
            kind: which,
            options: { opsPerSecond: intFlag(ctx.flags.ops, '--ops'), useReplicas: ctx.flags.replicas === true ? true : undefined },
          })
        ).id;
      }
      await ctx.services.jobs.settled(jobId);
      const report: DiagnosisReport = await ctx.api.call('diagnostics.report', { jobId });
      const out = stringFlag(ctx.flags, 'out');
      if (out !== undefined) {
        const file = await ctx.api.call('diagnostics.export', { jobId, format: out.endsWith('.json') ? 'json' : 'html' });
        // A report saved into the home is the home's (0600); elsewhere the operator's umask decides.
        const mode = operatorFileMode(ctx.home, out);
        await writeFileDurably(out, file.content, { mode, privateFolder: false });
      }
      const lines = [
        `${which} diagnosis of ${report.profileName} (${report.target}): ${report.counts.critical} critical, ${report.counts.warning} warning, ${report.counts.info} info`,
      ];
      for (const s of report.connection?.steps ?? [])
        lines.push(
          `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(16)} ${String(s.ms).padStart(7)} ms  ${s.message}${s.advice ? `\n       → ${s.advice}` : ''}`,
        );
      for (const f of report.findings) lines.push(`[${f.severity.toUpperCase()}] ${f.title}\n  ${f.detail}\n  → ${f.recommendation}`);
      if (out !== undefined) lines.push(`report written to ${out}`);
      return { json: report, text: lines.join('\n') };
    },
  },
];
