import { SwarmdeckError } from '../../../shared/errors';
import type { DiagnosisKind, DiagnosisOptions, DiagnosisReport, ExportFormat, ExportedReport } from '../../../shared/model/diagnostics';
import type { JobView } from '../../../shared/model/job';
import { describeTopology, type Profile } from '../../../shared/model/profile';
import type { ConnectionManager } from '../../redis/connection-manager';
import type { JobContext, JobRegistry } from '../jobs/job-registry';
import type { ProfileStore } from '../profiles/profile-store';
import type { SecretStore } from '../profiles/secret-store';
import { diagnoseClients } from './clients';
import { diagnoseConnection } from './connection';
import { Findings } from './findings';
import { renderHtml } from './html';
import { DEFAULT_OPS_PER_SECOND, analyseMemory } from './memory';
import { diagnosePerformance } from './performance';

const UNITS: Record<DiagnosisKind, string> = { connection: 'steps', performance: 'nodes', memory: 'keys', clients: 'nodes' };

/** Runs each diagnosis as a job whose result is a `DiagnosisReport`, and renders finished reports. */
export class DiagnosticsService {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly connections: ConnectionManager,
    private readonly profiles: ProfileStore,
    private readonly secrets: SecretStore,
  ) {}

  /**
   * The connection diagnosis walks from scratch with the stored password (it must work when
   * connecting does not); the others read through the profile's live session.
   */
  async run(profileId: string, kind: DiagnosisKind, options: DiagnosisOptions = {}): Promise<JobView> {
    if (kind === 'connection') {
      const profile = await this.profiles.get(profileId);
      return this.runConnection(profile, await this.secrets.password(profile));
    }
    // The session's own profile: the CLI's ad hoc targets are connected but never stored.
    const session = this.connections.session(profileId);
    return this.start(session.profile, kind, async (findings, job) => {
      const client = session.client;
      switch (kind) {
        case 'performance':
          return { performance: { nodes: await diagnosePerformance(client, findings, options.pingSamples ?? 50, job.signal) } };
        case 'memory':
          return {
            memory: await analyseMemory(
              client,
              findings,
              {
                opsPerSecond: options.opsPerSecond ?? DEFAULT_OPS_PER_SECOND,
                useReplicas: options.useReplicas ?? false,
                maxKeys: options.maxKeys,
              },
              job,
            ),
          };
        default:
          return { clients: await diagnoseClients(client, findings) };
      }
    });
  }

  /** For the CLI's ad hoc targets, whose password never went through a profile. */
  runConnection(profile: Profile, password: string | undefined): JobView {
    return this.start(profile, 'connection', async (findings) => ({
      connection: { steps: await diagnoseConnection({ profile, password }, findings) },
    }));
  }

  report(jobId: string): DiagnosisReport {
    const job = this.jobs.get(jobId);
    if (!job.kind.startsWith('diagnose.')) throw new SwarmdeckError('NOT_FOUND', `Job "${jobId}" is not a diagnosis`);
    if (job.state === 'running')
      throw new SwarmdeckError('CONFLICT', 'The diagnosis is still running; its report is ready when the job is done');
    if (job.result === undefined)
      throw new SwarmdeckError(
        'NOT_FOUND',
        `The diagnosis ended ${job.state} without a report${job.error ? `: ${job.error.message}` : ''}`,
      );
    return job.result as DiagnosisReport;
  }

  export(jobId: string, format: ExportFormat): ExportedReport {
    const report = this.report(jobId);
    const base = `swarmdeck-${report.kind}-${report.profileName.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${report.startedAt.replace(/[:.]/g, '-')}`;
    return format === 'json'
      ? { fileName: `${base}.json`, mimeType: 'application/json', content: JSON.stringify(report, null, 2) }
      : { fileName: `${base}.html`, mimeType: 'text/html', content: renderHtml(report) };
  }

  private start(
    profile: Profile,
    kind: DiagnosisKind,
    body: (findings: Findings, job: JobContext) => Promise<Partial<DiagnosisReport>>,
  ): JobView {
    return this.jobs.start<DiagnosisReport>({
      kind: `diagnose.${kind}`,
      profileId: profile.id,
      title: `Diagnose ${kind} of ${profile.name}`,
      unit: UNITS[kind],
      run: async (job) => {
        const startedAt = new Date();
        const findings = new Findings();
        const sections = await body(findings, job);
        return {
          kind,
          profileId: profile.id,
          profileName: profile.name,
          target: describeTopology(profile.topology),
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          findings: findings.list,
          counts: findings.counts(),
          ...sections,
        };
      },
    });
  }
}
