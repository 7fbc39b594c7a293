import type { SliceHandlers } from '../../../shared/contract';
import type { auditContract } from '../../../shared/contract/audit';
import type { Services } from '../../services';
import { auditTrail } from './audit';

export function auditHandlers(s: Services): SliceHandlers<typeof auditContract> {
  return {
    'audit.recent': ({ profileId, count, ...filter }) => auditTrail(s.connections.session(profileId), count, filter),
  };
}
