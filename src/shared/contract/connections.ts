import type { ConnectionStatus } from '../model/health';
import { ByProfile, Empty, op } from './op';

export const connectionsContract = {
  'connections.list': op<ConnectionStatus[]>()(Empty),
  'connections.connect': op<ConnectionStatus>()(ByProfile),
  'connections.disconnect': op<ConnectionStatus>()(ByProfile),
  'redis.ping': op<{ ms: number }>()(ByProfile),
} as const;
