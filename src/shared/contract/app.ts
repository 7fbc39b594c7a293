import type { ProfileView } from '../model/profile';
import type { SandboxStatus } from '../model/sandbox';
import { Empty, op } from './op';

export interface AppInfo {
  version: string;
  /** Where passwords are kept, and a warning when that is weaker than an operator would assume. */
  secrets: { backend: string; where: string; warning?: string };
}

export const appContract = {
  'app.info': op<AppInfo>()(Empty),
  'sandbox.status': op<SandboxStatus>()(Empty),
  // Starts a local redis-server of this machine and saves its profile.
  'sandbox.start': op<ProfileView>()(Empty, { effect: 'home', audit: { none: 'a local sandbox, not an environment' } }),
} as const;
