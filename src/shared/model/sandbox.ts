export interface SandboxStatus {
  /** A redis-server binary was found on the PATH. */
  available: boolean;
  binary?: string;
  running?: { port: number; profileId: string; dataDir: string };
  /** What to do when no binary is available. */
  hint?: string;
}
