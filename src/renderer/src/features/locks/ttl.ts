/** The lease left now, from what it was when read and the time since (never below 0). */
export const ttlLeft = (ttlMs: number | undefined, elapsedMs: number): number => Math.max(0, (ttlMs ?? 0) - Math.max(0, elapsedMs));
