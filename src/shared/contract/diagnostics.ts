import { z } from 'zod';
import type { JobView } from '../model/job';
import { DIAGNOSES, DiagnosisOptionsSchema, EXPORT_FORMATS, type DiagnosisReport, type ExportedReport } from '../model/diagnostics';
import { JobId } from './jobs';
import { ProfileId, op } from './op';

export const diagnosticsContract = {
  /** Starts a diagnosis as a job; its result (once done) is a `DiagnosisReport`. */
  'diagnostics.run': op<JobView>()(
    z.strictObject({ profileId: ProfileId, kind: z.enum(DIAGNOSES), options: DiagnosisOptionsSchema.optional() }),
  ),
  /** The report of a finished diagnosis job. */
  'diagnostics.report': op<DiagnosisReport>()(z.strictObject({ jobId: JobId })),
  /** The report as JSON or as one self-contained HTML file (inline CSS and SVG, no fetches). */
  'diagnostics.export': op<ExportedReport>()(z.strictObject({ jobId: JobId, format: z.enum(EXPORT_FORMATS) })),
} as const;
