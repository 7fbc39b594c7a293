import { analyticsCommands } from '../../features/analytics/cli';
import { configCommands } from '../../features/config/cli';
import { consoleCommands } from '../../features/console/cli';
import { backupCommands } from '../../features/backup/cli';
import { demoCommands } from '../../features/demo/cli';
import { diagnosticsCommands } from '../../features/diagnostics/cli';
import { healthCommands } from '../../features/health/cli';
import { memoryCommands } from '../../features/memory/cli';
import { messagingCommands } from '../../features/messaging/cli';
import { lockCommands } from '../../features/locks/cli';
import { profilesCommands } from '../../features/profiles/cli';
import { queueCommands } from '../../features/queues/cli';
import { stateCommands } from '../../features/state/cli';
import { cfnCommands } from '../../features/swarms/cfn-cli';
import { swarmCommands } from '../../features/swarms/cli';
import type { CliCommand } from './command';
import type { Context } from './context';

/** The CLI's command registry: each feature contributes its commands, one line here. */
export const COMMANDS: CliCommand<Context>[] = [
  ...profilesCommands,
  ...healthCommands,
  ...queueCommands,
  ...swarmCommands,
  ...cfnCommands,
  ...backupCommands,
  ...demoCommands,
  ...diagnosticsCommands,
  ...consoleCommands,
  ...analyticsCommands,
  ...memoryCommands,
  ...configCommands,
  ...lockCommands,
  ...stateCommands,
  ...messagingCommands,
];
