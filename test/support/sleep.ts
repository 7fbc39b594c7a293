/** Waits `ms` milliseconds: for tests that must let real time pass (leases, heartbeats), never to assert timings. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
