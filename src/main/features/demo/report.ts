export interface DemoReport {
  swarms: string[];
  agents: number;
  messages: number;
  heartbeatRounds: number;
  tasksCompleted: number;
  tasksFailed: number;
  elections: number;
  crashes: number;
  proposals: Record<'accepted' | 'rejected' | 'expired', number>;
}

export function emptyReport(): DemoReport {
  return {
    swarms: [],
    agents: 0,
    messages: 0,
    heartbeatRounds: 0,
    tasksCompleted: 0,
    tasksFailed: 0,
    elections: 0,
    crashes: 0,
    proposals: { accepted: 0, rejected: 0, expired: 0 },
  };
}
