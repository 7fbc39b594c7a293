import { create } from 'zustand';
import type { DiagnosisKind, DiagnosisOptions, DiagnosisReport, ExportFormat } from '../../../../shared/model/diagnostics';
import { useJobs } from '../../app/jobs-store';
import { transport } from '../../transport';

interface DiagnosticsState {
  profileId?: string;
  /** The latest job of each diagnosis on this profile. */
  jobs: Partial<Record<DiagnosisKind, string>>;
  reports: Record<string, DiagnosisReport>;
  /** The diagnosis whose report is on screen. */
  shown?: DiagnosisKind;
  forProfile(profileId: string): void;
  show(kind: DiagnosisKind): void;
  run(kind: DiagnosisKind, options?: DiagnosisOptions): Promise<void>;
  loadReport(jobId: string): Promise<void>;
  download(jobId: string, format: ExportFormat): Promise<void>;
}

export const useDiagnostics = create<DiagnosticsState>((set, get) => ({
  jobs: {},
  reports: {},
  forProfile(profileId) {
    // Another server's findings say nothing about this one.
    if (get().profileId !== profileId) set({ profileId, jobs: {}, shown: undefined });
  },
  show: (kind) => set({ shown: kind }),
  async run(kind, options) {
    const profileId = get().profileId;
    if (!profileId) return;
    const job = await transport.call('diagnostics.run', { profileId, kind, ...(options ? { options } : {}) });
    useJobs.getState().apply(job);
    set((s) => ({ jobs: { ...s.jobs, [kind]: job.id }, shown: kind }));
  },
  async loadReport(jobId) {
    if (get().reports[jobId]) return;
    const report = await transport.call('diagnostics.report', { jobId });
    set((s) => ({ reports: { ...s.reports, [jobId]: report } }));
  },
  async download(jobId, format) {
    const file = await transport.call('diagnostics.export', { jobId, format });
    // A Blob URL keeps the file in the page: nothing is fetched, and the CSP needs no change.
    const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
}));
