import type { SliceHandlers } from '../../../shared/contract';
import type { diagnosticsContract } from '../../../shared/contract/diagnostics';
import type { Services } from '../../services';

export function diagnosticsHandlers(s: Services): SliceHandlers<typeof diagnosticsContract> {
  return {
    'diagnostics.run': async ({ profileId, kind, options }) => s.diagnostics.run(profileId, kind, options),
    'diagnostics.report': async ({ jobId }) => s.diagnostics.report(jobId),
    'diagnostics.export': async ({ jobId, format }) => s.diagnostics.export(jobId, format),
  };
}
